"""Reads of the yearly cycle: a year's figures, and what its purge would delete."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.academic_calendar.models import UniversityYear
from apps.accounts.models import Role, RoleAssignment
from apps.attestations.models import Attestation
from apps.catalogue.models import Slot, Training
from apps.notifications.models import OutgoingMessage
from apps.records.models import PupilRecord, StudentRecord, VisitorRecord
from apps.registrations.models import (
    Attendance,
    CalendarFeed,
    CourseAlert,
    GroupRegistration,
    Registration,
    Status,
    WaitingListEntry,
)
from apps.tenancy.scoping import platform_job

from .models import AnnualStatistics, PurgeRun

REGISTRANT_ROLES = (Role.PUPIL, Role.STUDENT, Role.VISITOR)
RECORD_MODELS = {"pupil": PupilRecord, "student": StudentRecord, "visitor": VisitorRecord}
POPULATIONS = {
    "pupil": _("Pupils"),
    "student": _("Students"),
    "visitor": _("Visitors"),
    "other": _("Without a registrant record"),
}
DIMENSIONS = {
    "by_establishment": _("By establishment"),
    "by_structure": _("By structure"),
    "by_domain": _("By training domain"),
    "by_high_school": _("By high school"),
    "by_level": _("By level"),
    "by_population": _("By population"),
}
COUNTERS = ("registrations", "active", "cancelled", "present", "remote", "absent", "not_entered")

#: What the purge deletes, in the order it deletes it.
PURGED_KINDS = {
    "waiting_list_entries": _("Waiting-list entries on the year's slots"),
    "course_alerts": _("Course alerts created before the end of the year, and those of the purged registrants"),
    "registrations": _("Registrations on the year's slots"),
    "group_registrations": _("Group registrations on the year's slots, with their class-list files"),
    "slots": _("Slots of the year's periods"),
    "attestations": _("Documents of the purged registrants on this site, with their files"),
    "pupil_records": _("Pupil records of the purged registrants"),
    "student_records": _("Student records of the purged registrants"),
    "visitor_records": _("Visitor records of the purged registrants"),
    "registrant_roles": _("Pupil, student and visitor roles of the purged registrants on this site"),
    "calendar_feeds": _("Calendar feeds of the purged registrants on this site"),
    "outgoing_messages": _("E-mails of the site sent or failed before the end of the year"),
    "accounts": _("Accounts of the purged registrants left without any role on any site"),
}
#: The model each kind deletes.
KIND_MODELS = {
    "waiting_list_entries": WaitingListEntry,
    "course_alerts": CourseAlert,
    "registrations": Registration,
    "group_registrations": GroupRegistration,
    "slots": Slot,
    "attestations": Attestation,
    **{f"{kind}_records": model for kind, model in RECORD_MODELS.items()},
    "registrant_roles": RoleAssignment,
    "calendar_feeds": CalendarFeed,
    "outgoing_messages": OutgoingMessage,
    "accounts": get_user_model(),
}
KEPT_KINDS = (
    _("Trainings, courses and events, as they are (published or not): they carry over to the next year"),
    _("Establishments, structures, campuses, buildings, high schools and reference lists"),
    _("University years and periods (their slots are deleted)"),
    _("Staff accounts and their roles"),
    _("Registrants with a registration or a waiting-list entry on a slot of another year of the site"),
    _("Registrants whose record or role was created after the end of the year"),
    _("Accounts that still hold a role (on this site or another one), or whose deletion would touch another site"),
    _("E-mails still waiting to be sent, and those created after the end of the year"),
    _("The annual statistics, the purge runs (the purge's own audit trail) and the admin log"),
    _(
        "The action log of the site (who did what, and when): the purged registrants' names in it "
        "are replaced by pseudonyms"
    ),
    _("Everything of the other sites"),
)
SAMPLE_SIZE = 5


def year_cutoff(year):
    """The first moment after the year: rows created from then on belong to the next one."""
    day = year.end_date + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def purge_due_date(year):
    return year.purge_date or (year.end_date + dt.timedelta(days=1))


def purge_is_due(year, today=None):
    return (today or timezone.localdate()) >= purge_due_date(year)


# --- Figures ---------------------------------------------------------------------------


def _people(site, person_ids):
    """person id -> (population, high school label, level label)."""
    people = {}
    for row in VisitorRecord.objects.filter(site=site, user_id__in=person_ids).values("user_id"):
        people[row["user_id"]] = ("visitor", "", "")
    for row in StudentRecord.objects.filter(site=site, user_id__in=person_ids).values("user_id", "level__label"):
        people[row["user_id"]] = ("student", "", row["level__label"] or "")
    rows = PupilRecord.objects.filter(site=site, user_id__in=person_ids).values(
        "user_id", "high_school__label", "school_entry__label", "level__label"
    )
    for row in rows:
        school = row["high_school__label"] or row["school_entry__label"] or ""
        people[row["user_id"]] = ("pupil", school, row["level__label"] or "")
    return people


def _domains(site):
    """training id -> sorted domain labels."""
    through = Training.subdomains.through
    domains = defaultdict(set)
    with platform_job():
        rows = through.objects.filter(training__site=site).values_list(
            "training_id", "trainingsubdomain__domain__label"
        )
        for training_id, label in rows:
            domains[training_id].add(label)
    return domains


def _rows(table):
    return [{"label": label, **counters} for label, counters in sorted(table.items())]


def compute_figures(site, year):
    """The year's figures, from its registrations and group registrations (a handful of queries)."""
    registrations = list(
        Registration.objects.filter(site=site, slot__period__year=year).values(
            "person_id",
            "status",
            "attendance",
            "slot__course__training_id",
            "slot__course__training__structure__label",
            "slot__course__training__structure__establishment__label",
            "slot__course__training__high_school__label",
            "slot__event__establishment__label",
            "slot__event__structure__label",
            "slot__event__high_school__label",
        )
    )
    people = _people(site, {row["person_id"] for row in registrations})
    domains = _domains(site)
    totals = dict.fromkeys(COUNTERS, 0)
    tables = {name: defaultdict(lambda: dict.fromkeys(COUNTERS, 0)) for name in DIMENSIONS}
    for row in registrations:
        population, school, level = people.get(row["person_id"], ("other", "", ""))
        establishment = (
            row["slot__course__training__structure__establishment__label"]
            or row["slot__course__training__high_school__label"]
            or row["slot__event__establishment__label"]
            or row["slot__event__high_school__label"]
            or ""
        )
        structure = row["slot__course__training__structure__label"] or row["slot__event__structure__label"] or ""
        keys = {
            "by_establishment": [establishment],
            "by_structure": [structure],
            "by_domain": sorted(domains.get(row["slot__course__training_id"], ())) or [""],
            "by_high_school": [school],
            "by_level": [level],
            "by_population": [population],
        }
        active = row["status"] == Status.ACTIVE
        bumped = ["registrations", "active" if active else "cancelled"]
        if active:
            bumped.append(row["attendance"] if row["attendance"] in COUNTERS else Attendance.NOT_ENTERED)
        for name in bumped:
            totals[name] += 1
            for dimension, labels in keys.items():
                for label in labels:
                    tables[dimension][label][name] += 1
    groups = defaultdict(lambda: {"group_registrations": 0, "group_pupils": 0})
    group_rows = GroupRegistration.objects.filter(site=site, slot__period__year=year, status=Status.ACTIVE).values(
        "high_school__label", "pupils_count"
    )
    for row in group_rows:
        groups[row["high_school__label"]]["group_registrations"] += 1
        groups[row["high_school__label"]]["group_pupils"] += row["pupils_count"]
    totals["group_registrations"] = sum(g["group_registrations"] for g in groups.values())
    totals["group_pupils"] = sum(g["group_pupils"] for g in groups.values())
    totals["slots"] = Slot.objects.filter(site=site, period__year=year).count()
    figures = {"totals": totals, **{name: _rows(table) for name, table in tables.items()}}
    figures["groups_by_high_school"] = _rows(groups)
    return figures


# --- The purge plan ----------------------------------------------------------------------


@dataclass
class PurgePlan:
    """The primary keys the purge of a year would delete, kind by kind (in deletion order)."""

    site: object
    year: object
    ids: dict = field(default_factory=dict)
    registrant_ids: set = field(default_factory=set)

    @property
    def counts(self):
        return {kind: len(self.ids[kind]) for kind in PURGED_KINDS}

    @property
    def total(self):
        return sum(self.counts.values())


def _purged_registrants(site, year):
    """Registrants of the site whose data go with this year's purge (see KEPT_KINDS for who stays)."""
    cutoff = year_cutoff(year)
    candidates = set(
        RoleAssignment.objects.filter(site=site, role__in=REGISTRANT_ROLES).values_list("user_id", flat=True)
    )
    kept = set(
        RoleAssignment.objects.filter(site=site, role__in=REGISTRANT_ROLES, granted_at__gte=cutoff).values_list(
            "user_id", flat=True
        )
    )
    for model in RECORD_MODELS.values():
        candidates |= set(model.objects.filter(site=site).values_list("user_id", flat=True))
        kept |= set(model.objects.filter(site=site, created_at__gte=cutoff).values_list("user_id", flat=True))
    other_year = ~Q(slot__period__year=year)
    kept |= set(Registration.objects.filter(other_year, site=site).values_list("person_id", flat=True))
    kept |= set(WaitingListEntry.objects.filter(other_year, site=site).values_list("person_id", flat=True))
    return candidates - kept


def _touches_other_site(users, site_id):
    """Whether deleting these accounts would delete any row that belongs to another site."""
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    collector.collect(users)
    for rows in collector.data.values():
        for row in rows:
            if getattr(row, "site_id", site_id) not in (site_id, None):
                return True
    return False


def deletable_accounts(site, user_ids):
    """Ids of the accounts among ``user_ids`` the purge deletes: registrants left without any
    role (once their registrant roles here are gone), never an operator, and whose deletion
    touches no other site."""
    with platform_job():
        users = get_user_model().objects.filter(pk__in=user_ids, is_operator=False, is_superuser=False)
        other_roles = RoleAssignment.objects.filter(user_id__in=user_ids).exclude(site=site, role__in=REGISTRANT_ROLES)
        users = list(users.exclude(pk__in=other_roles.values("user_id")).order_by("pk"))
        if not users or not _touches_other_site(users, site.pk):
            return [user.pk for user in users]
        return [user.pk for user in users if not _touches_other_site([user], site.pk)]


def purge_plan(site, year):
    """What purging ``year`` on ``site`` deletes now. The real purge deletes exactly these rows."""
    registrants = _purged_registrants(site, year)
    cutoff = year_cutoff(year)
    in_year = {"site": site, "slot__period__year": year}
    mine = {"site": site, "user_id__in": registrants}

    def pks(queryset):
        return sorted(queryset.values_list("pk", flat=True))

    ids = {
        "waiting_list_entries": pks(WaitingListEntry.objects.filter(**in_year)),
        "course_alerts": pks(
            CourseAlert.objects.filter(Q(created_at__lt=cutoff) | Q(person_id__in=registrants), site=site)
        ),
        "registrations": pks(Registration.objects.filter(**in_year)),
        "group_registrations": pks(GroupRegistration.objects.filter(**in_year)),
        "slots": pks(Slot.objects.filter(site=site, period__year=year)),
        "attestations": pks(Attestation.objects.filter(**mine)),
        **{f"{kind}_records": pks(model.objects.filter(**mine)) for kind, model in RECORD_MODELS.items()},
        "registrant_roles": pks(RoleAssignment.objects.filter(role__in=REGISTRANT_ROLES, **mine)),
        "calendar_feeds": pks(CalendarFeed.objects.filter(site=site, person_id__in=registrants)),
        "outgoing_messages": pks(
            OutgoingMessage.objects.filter(
                site=site,
                created_at__lt=cutoff,
                status__in=[OutgoingMessage.Status.SENT, OutgoingMessage.Status.FAILED],
            )
        ),
        "accounts": deletable_accounts(site, registrants),
    }
    return PurgePlan(site=site, year=year, ids=ids, registrant_ids=registrants)


def plan_samples(plan):
    """A few rows of each kind, as text, for the dry-run report."""
    samples = {}
    for kind, pks in plan.ids.items():
        model = KIND_MODELS[kind]
        manager = model._base_manager
        rows = manager.filter(pk__in=pks[:SAMPLE_SIZE]).order_by("pk")
        if hasattr(model, "site_id") and kind != "accounts":
            rows = rows.filter(site=plan.site)
        samples[kind] = [str(row) for row in rows]
    return samples


# --- Pages --------------------------------------------------------------------------------


def years_with_status(site):
    """The site's years, each with its statistics and its latest real purge (three queries)."""
    years = list(UniversityYear.objects.filter(site=site).order_by("-start_date"))
    stats = {s.year_id: s for s in AnnualStatistics.objects.filter(site=site)}
    runs = {}
    for run in PurgeRun.objects.filter(site=site, dry_run=False).order_by("created_at", "pk"):
        runs[run.year_id] = run  # the latest wins
    for year in years:
        year.statistics = stats.get(year.pk)
        year.last_purge = runs.get(year.pk)
        year.purge_due = purge_is_due(year)
        year.purge_due_on = purge_due_date(year)
    return years


def dimension_tables(figures):
    return [(label, figures.get(name, [])) for name, label in DIMENSIONS.items()]
