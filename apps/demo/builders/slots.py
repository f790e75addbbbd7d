"""Slots over the coming weeks, with restrictions, speakers, registrations and group registrations.

Slots have no natural key, so they are generated once per university year: when the active
year already has slots (a previous run, or real use), this step does nothing. Everything is
drawn from a ``random.Random`` seeded with a constant, so the same day gives the same demo.

Slots, their many-to-many rows and registrations are written with ``bulk_create``, which
bypasses ``SiteOwnedModel.save()``: each object is built from rows of the same site and
checked in memory with ``check_same_site()`` (no query: every foreign key is a loaded object).
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from apps.accounts.models import Role
from apps.catalogue.models import Slot
from apps.referentials.models import BachelorType, CourseType, GeneralSpeciality, HighSchoolLevel, TechnologicalSeries
from apps.registrations.models import GroupRegistration, Registration

TIMES = [(8, 10), (9, 12), (10, 12), (10, 11), (13, 15), (14, 16), (14, 17), (15, 17), (16, 18), (13, 14)]
PLACES = [8, 10, 12, 15, 20, 24, 30]
RESTRICTIONS = ["levels", "bachelor_types", "high_school", "specialities", "series"]
RESTRICTION_NOTES = {
    "levels": "Réservé aux élèves de terminale.",
    "bachelor_types": "Réservé aux élèves de la voie générale.",
    "high_school": "Réservé aux élèves du lycée partenaire.",
    "specialities": "Pour les élèves suivant la spécialité mathématiques ou NSI.",
    "series": "Pour les élèves des séries STI2D et STL.",
}
#: The documented pupil keeps room in their quota to try registering during the demo.
MAIN_PUPIL_REGISTRATIONS = 2
BATCH_SIZE = 500


@dataclass
class Plan:
    slot: Slot
    m2m: dict = field(default_factory=dict)  # Slot many-to-many field name -> [rows]
    speakers: list = field(default_factory=list)
    wanted: int = 0  # individual registrations to create
    full: bool = False
    registrants: list = field(default_factory=list)
    groups: list = field(default_factory=list)

    @property
    def unrestricted(self):
        return not any(self.m2m.values())


def _references():
    return SimpleNamespace(
        course_types=list(CourseType.objects.order_by("position", "code")),
        levels={item.label: item for item in HighSchoolLevel.objects.all()},
        bachelor={item.kind: item for item in BachelorType.objects.all()},
        series={item.code: item for item in TechnologicalSeries.objects.all()},
        specialities={item.label: item for item in GeneralSpeciality.objects.all()},
    )


class _Generator:
    def __init__(self, site, spec, calendar, orgs, offer, people, rng, today):
        self.site, self.spec, self.calendar, self.orgs = site, spec, calendar, orgs
        self.offer, self.people, self.rng = offer, people, rng
        self.rates = spec["offer"]
        self.refs = _references()
        last = today + dt.timedelta(days=7 * self.rates["weeks"])
        self.days = calendar.open_days(today + dt.timedelta(days=1), last)
        self.counters = Counter()
        self.plans = []

    # --- Where ------------------------------------------------------------------------
    def _remote(self, slot):
        self.counters["remote"] += 1
        slot.place = Slot.Place.REMOTE
        slot.remote_url = f"https://visio.{self.spec['site']['email_domain']}/salle/{self.counters['remote']:03d}"

    def _in_high_school(self, slot, high_school):
        slot.place = Slot.Place.HIGH_SCHOOL
        slot.place_high_school = high_school

    def _elsewhere(self, slot, address):
        slot.place = Slot.Place.OUTSIDE
        slot.outside_address = address

    def _on_campus(self, slot, campus, building=None):
        slot.place = Slot.Place.ON_SITE
        slot.campus = campus
        slot.building = building or self.rng.choice(self.orgs.buildings[campus.label])

    def _room(self, course_type):
        rng = self.rng
        if course_type.code == "CM":
            return f"Amphithéâtre {rng.choice('ABCDEF')}"
        if course_type.code == "TP":
            return f"Salle de TP {rng.randint(1, 12)}"
        return f"Salle {rng.randint(1, 3)}{rng.randint(0, 2)}{rng.randint(1, 9)}"

    # --- Rules ------------------------------------------------------------------------
    def _restrict(self, plan):
        kind = RESTRICTIONS[self.counters["restricted"] % len(RESTRICTIONS)]
        self.counters["restricted"] += 1
        refs = self.refs
        high_school = self.orgs.high_schools.get(self.spec.get("restriction_high_school") or "")
        if kind == "high_school" and high_school is None:
            kind = "levels"
        rules = {
            "levels": {"allowed_high_school_levels": [refs.levels.get("Terminale")]},
            "bachelor_types": {"allowed_bachelor_types": [refs.bachelor.get(BachelorType.Kind.GENERAL)]},
            "high_school": {"allowed_high_schools": [high_school]},
            "specialities": {
                "allowed_specialities": [
                    refs.specialities.get("Mathématiques"),
                    refs.specialities.get("Numérique et sciences informatiques"),
                ]
            },
            "series": {
                "allowed_bachelor_types": [refs.bachelor.get(BachelorType.Kind.TECHNOLOGICAL)],
                "allowed_series": [refs.series.get("STI2D"), refs.series.get("STL")],
            },
        }[kind]
        plan.m2m = {name: [row for row in rows if row is not None] for name, rows in rules.items()}
        plan.slot.additional_information = RESTRICTION_NOTES[kind]

    def _open_to_groups(self, slot):
        self.counters["group"] += 1
        slot.allows_group_registrations = True
        slot.group_mode = Slot.GroupMode.BY_PLACES
        slot.group_places = self.rng.choice([20, 30, 35])
        if self.counters["group"] % 3 == 0:
            # Groups only: the way pupils of a high school refusing individual immersions take part.
            slot.allows_individual_registrations = False
            slot.individual_places = 0

    # --- Slots ------------------------------------------------------------------------
    def course_slots(self, entry):
        rng, rates = self.rng, self.rates
        count = min(rates["slots_per_course"], len(self.days))
        for day in sorted(rng.sample(self.days, count)):
            start, end = rng.choice(TIMES)
            course_type = rng.choice(self.refs.course_types)
            slot = Slot(
                site=self.site,
                course=entry.course,
                course_type=course_type,
                period=self.calendar.period_for(day),
                date=day,
                start_time=dt.time(start),
                end_time=dt.time(end),
                individual_places=rng.choice(PLACES),
                published=True,
            )
            plan = Plan(slot=slot, speakers=list(self.people.teachers.get(entry.owner, [])))
            if entry.establishment_code is None:
                self._in_high_school(slot, self.orgs.high_schools[entry.owner])
                slot.room = self._room(course_type)
            elif rng.random() < rates["remote_rate"]:
                self._remote(slot)
            else:
                self._on_campus(slot, self.orgs.structure_campus[entry.owner])
                slot.room = self._room(course_type)
            roll = rng.random()
            if roll < rates["full_rate"]:
                plan.full = True
                slot.individual_places = rng.choice([2, 3, 4])
                plan.wanted = slot.individual_places
            elif roll < rates["full_rate"] + rates["partly_taken_rate"]:
                plan.wanted = rng.randint(1, 3)
            else:
                roll = rng.random()
                if roll < rates["restricted_rate"]:
                    self._restrict(plan)
                elif roll < rates["restricted_rate"] + rates["group_rate"]:
                    self._open_to_groups(slot)
                elif roll < rates["restricted_rate"] + rates["group_rate"] + rates["draft_rate"]:
                    slot.published = False
            self.plans.append(plan)

    def event_slots(self, entry):
        if not self.days:
            return
        seen = set()
        structure = entry.spec.get("structure")
        for item in entry.spec["slots"]:
            day = self.days[min(item["day"], len(self.days) - 1)]
            if (day, item["start"]) in seen:
                continue
            seen.add((day, item["start"]))
            slot = Slot(
                site=self.site,
                event=entry.event,
                period=self.calendar.period_for(day),
                date=day,
                start_time=dt.time(item["start"]),
                end_time=dt.time(item["end"]),
                individual_places=item["places"],
                published=True,
            )
            plan = Plan(slot=slot, speakers=list(self.people.teachers.get(structure, [])) if structure else [])
            if item.get("remote"):
                self._remote(slot)
            elif item.get("address"):
                self._elsewhere(slot, item["address"])
            elif item.get("place_high_school"):
                high_school = self.orgs.high_schools[item["place_high_school"]]
                self._in_high_school(slot, high_school)
                if item.get("reserved_to_high_school"):
                    plan.m2m["allowed_high_schools"] = [high_school]
                    slot.additional_information = RESTRICTION_NOTES["high_school"]
            else:
                self._on_campus(
                    slot, self.orgs.campuses[item["campus"]], self.orgs.building(item["campus"], item["building"])
                )
            if item.get("group_places"):
                slot.allows_group_registrations = True
                slot.group_places = item["group_places"]
            if item.get("full"):
                plan.full = True
                plan.wanted = item["places"]
            self.plans.append(plan)

    # --- Registrations ----------------------------------------------------------------
    def assign_registrations(self):
        """Give each plan its registrants, within quotas and without two overlapping slots a day."""
        main = self.people.by_key.get("pupil")
        fillers = [person for person in self.people.pupils if person is not main]
        quota = self.rates["quota_per_person"]
        load, busy, main_count = Counter(), defaultdict(list), 0
        for plan in self.plans:
            if not plan.wanted:
                continue
            slot = plan.slot
            pool = list(fillers)
            if pool:
                offset = self.rng.randrange(len(pool))
                pool = pool[offset:] + pool[:offset]
            if main is not None and not plan.full and main_count < MAIN_PUPIL_REGISTRATIONS:
                pool.insert(0, main)
            for person in pool:
                if len(plan.registrants) == plan.wanted:
                    break
                day_key = (person.pk, slot.date)
                if load[(person.pk, slot.period.pk)] >= quota or any(
                    start < slot.end_time and slot.start_time < end for start, end in busy[day_key]
                ):
                    continue
                plan.registrants.append(person)
                load[(person.pk, slot.period.pk)] += 1
                busy[day_key].append((slot.start_time, slot.end_time))
            if main in plan.registrants:
                main_count += 1
            taken = len(plan.registrants)
            if plan.full and taken:
                slot.individual_places = taken  # fewer free pupils than wanted: still full
            slot.individual_places_taken = taken

    def plan_groups(self):
        referents = {
            item.get("high_school"): user
            for item, user in self.people.accounts
            if item.get("role") == Role.HIGH_SCHOOL_REFERENT
        }
        candidates = [
            plan
            for plan in self.plans
            if plan.slot.allows_group_registrations
            and plan.slot.group_mode == Slot.GroupMode.BY_PLACES
            and plan.slot.published
            and plan.unrestricted
        ]
        for uai, plan in zip(self.spec.get("group_registrations", []), candidates, strict=False):
            high_school = self.orgs.high_schools[uai]
            referent = referents.get(uai)
            pupils = min(plan.slot.group_places, self.rng.randint(12, 24))
            plan.groups.append(
                GroupRegistration(
                    site=self.site,
                    slot=plan.slot,
                    high_school=high_school,
                    pupils_count=pupils,
                    accompanying_adults=2,
                    contact_name=referent.get_full_name() if referent else f"Vie scolaire — {high_school.label}",
                    contact_email=referent.email if referent else high_school.email,
                    registered_by=referent,
                )
            )
            plan.slot.group_places_taken += pupils


def _m2m_rows(plans):
    """Through-model rows for every many-to-many link of the planned slots, per through model."""
    rows = defaultdict(list)
    for plan in plans:
        links = dict(plan.m2m)
        if plan.speakers:
            links["speakers"] = plan.speakers
        for name, targets in links.items():
            relation = Slot._meta.get_field(name)
            through = relation.remote_field.through
            source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
            for obj in targets:
                if getattr(obj, "site_id", plan.slot.site_id) != plan.slot.site_id:
                    raise ValueError(f"{obj!r} belongs to another site than {plan.slot!r}.")
                rows[through].append(through(**{f"{source}_id": plan.slot.pk, f"{target}_id": obj.pk}))
    return rows


def build_slots(site, spec, stats, calendar, orgs, offer, people, rng, today):
    """Generate the offer's slots once per year. Returns the number of slots created (0: kept)."""
    if Slot.objects.filter(period__year=calendar.year).exists():
        return 0
    generator = _Generator(site, spec, calendar, orgs, offer, people, rng, today)
    for entry in offer.courses:
        generator.course_slots(entry)
    for entry in offer.events:
        generator.event_slots(entry)
    generator.assign_registrations()
    generator.plan_groups()
    plans = generator.plans
    for plan in plans:
        plan.slot.check_same_site()
    Slot.objects.bulk_create([plan.slot for plan in plans], batch_size=BATCH_SIZE)
    stats.add(Slot, "created", len(plans))
    for through, rows in _m2m_rows(plans).items():
        through.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        stats.add(through, "created", len(rows))
    registrations = [
        Registration(site=site, slot=plan.slot, person=person, registered_by=person)
        for plan in plans
        for person in plan.registrants
    ]
    groups = [group for plan in plans for group in plan.groups]
    for row in (*registrations, *groups):
        row.check_same_site()
    Registration.objects.bulk_create(registrations, batch_size=BATCH_SIZE)
    GroupRegistration.objects.bulk_create(groups, batch_size=BATCH_SIZE)
    stats.add(Registration, "created", len(registrations))
    stats.add(GroupRegistration, "created", len(groups))
    return len(plans)
