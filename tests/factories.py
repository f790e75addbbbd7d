"""Small builders for test data. Each returns saved objects; callers hold the site scope."""

import datetime as dt
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from apps.academic_calendar.models import Period, UniversityYear
from apps.accounts.models import Role, RoleAssignment, User
from apps.backoffice.models import SavedListFilter
from apps.catalogue.models import Course, Event, Slot, Training
from apps.federation.models import FederationSettings
from apps.organisations.models import Building, Campus, Establishment, HighSchool, Structure
from apps.records.models import PupilRecord, RecordStatus, StudentRecord, VisitorRecord
from apps.referentials.models import CourseType, EventType, TrainingDomain, TrainingSubdomain
from apps.registrations.models import Registration
from apps.staff.models import Charter, CharterSignature
from apps.tenancy.models import Site, SiteHost
from apps.tenancy.scoping import for_site

_counter = {"n": 0}


def _next():
    _counter["n"] += 1
    return _counter["n"]


def make_site(slug, hosts=(), name=None):
    site = Site.objects.create(name=name or slug.title(), slug=slug)
    for index, host in enumerate(hosts):
        SiteHost.objects.create(site=site, host=host, is_primary=index == 0)
    return site


def make_user(email=None, **extra):
    n = _next()
    return User.objects.create_user(
        email or f"user{n}@example.org", PASSWORD, first_name=f"First{n}", last_name=f"Last{n}", **extra
    )


PASSWORD = "a-long-test-password"
_password_hash = {}


def _new_user(**extra):
    """An unsaved user as make_user would save it, for bulk_create (one hash per hasher setting)."""
    hashers = tuple(settings.PASSWORD_HASHERS)
    if hashers not in _password_hash:
        _password_hash[hashers] = make_password(PASSWORD)
    n = _next()
    return User(
        email=f"user{n}@example.org",
        password=_password_hash[hashers],
        first_name=f"First{n}",
        last_name=f"Last{n}",
        **extra,
    )


def grant(user, site, role, **scope):
    return RoleAssignment.objects.create(site=site, user=user, role=role, **scope)


def build_world(slug="alpha", hosts=("testserver",)):
    """A site with two establishments, structures, high schools, an offer, and one person per role."""
    site = make_site(slug, hosts)
    w = SimpleNamespace(site=site)
    with for_site(site):
        today = timezone.localdate()
        w.master = Establishment.objects.create(site=site, is_master=True, code="UMA", label=f"Université {slug}")
        w.host = Establishment.objects.create(site=site, code="HOST", label=f"École {slug}")
        w.structure = Structure.objects.create(site=site, establishment=w.master, code="SCI", label="Sciences")
        w.other_structure = Structure.objects.create(site=site, establishment=w.master, code="LET", label="Lettres")
        w.host_structure = Structure.objects.create(site=site, establishment=w.host, code="ING", label="Ingénierie")
        w.high_school = HighSchool.objects.create(
            site=site, uai="0670001A", label="Lycée Kléber", city="Strasbourg", agreement_start=today
        )
        w.host_high_school = HighSchool.objects.create(
            site=site, uai="0670002B", label="Lycée Couffignal", city="Strasbourg", hosts_post_bac_trainings=True
        )
        w.campus = Campus.objects.create(site=site, establishment=w.master, label="Campus central")
        w.building = Building.objects.create(site=site, campus=w.campus, label="Atrium")
        domain = TrainingDomain.objects.create(site=site, label="Sciences & Technologies")
        w.subdomain = TrainingSubdomain.objects.create(site=site, domain=domain, label="Informatique")
        w.course_type = CourseType.objects.create(site=site, code="CM", label="Cours magistral")
        w.event_type = EventType.objects.create(site=site, label="Journée portes ouvertes")
        w.year = UniversityYear.objects.create(
            site=site,
            label="year",
            start_date=today - dt.timedelta(days=60),
            end_date=today + dt.timedelta(days=300),
            accounts_open_date=today - dt.timedelta(days=60),
            is_active=True,
        )
        now = timezone.now()
        w.period = Period.objects.create(
            site=site,
            year=w.year,
            label="Semestre",
            registration_start=now - dt.timedelta(days=10),
            registration_end=now + dt.timedelta(days=60),
            immersion_start=today,
            immersion_end=today + dt.timedelta(days=90),
        )
        w.training = Training.objects.create(site=site, label="Licence Informatique", structure=w.structure)
        w.training.subdomains.add(w.subdomain)
        w.other_training = Training.objects.create(site=site, label="Licence Lettres", structure=w.other_structure)
        w.bts = Training.objects.create(site=site, label="BTS SIO", high_school=w.host_high_school)
        w.course = Course.objects.create(site=site, training=w.training, label="Algorithmique", published=True)
        w.other_course = Course.objects.create(site=site, training=w.other_training, label="Poésie", published=True)
        w.bts_course = Course.objects.create(site=site, training=w.bts, label="Réseaux", published=True)
        w.event = Event.objects.create(
            site=site, event_type=w.event_type, label="Portes ouvertes", establishment=w.master, published=True
        )
        w.host_training = Training.objects.create(site=site, label="Diplôme d'ingénieur", structure=w.host_structure)
        w.host_course = Course.objects.create(site=site, training=w.host_training, label="Robotique", published=True)
        w.slot = make_slot(w, w.course)
        w.draft_slot = make_slot(w, w.course, days=14, published=False)
        w.other_draft_slot = make_slot(w, w.other_course, days=14, published=False)
        w.host_slot = make_slot(w, w.host_course)
        w.other_slot = make_slot(w, w.other_course)
        w.bts_slot = make_slot(w, w.bts_course, place=Slot.Place.OUTSIDE, outside_address="Lycée Couffignal")
        w.event_slot = Slot.objects.create(
            site=site,
            event=w.event,
            period=w.period,
            date=today + dt.timedelta(days=7),
            start_time=dt.time(9),
            end_time=dt.time(12),
            campus=w.campus,
            individual_places=50,
            published=True,
        )
        # People, one per role: two inserts (what make_user and grant would do one row at a time).
        people = [
            ("operator", None, {}),
            ("master_referent", Role.MASTER_REFERENT, {}),
            ("establishment_referent", Role.ESTABLISHMENT_REFERENT, {"establishment": w.master}),
            ("host_referent", Role.ESTABLISHMENT_REFERENT, {"establishment": w.host}),
            ("structure_referent", Role.STRUCTURE_REFERENT, {"structure": w.structure}),
            ("consultant", Role.STRUCTURE_CONSULTANT, {"structure": w.structure}),
            ("speaker", Role.SPEAKER, {"establishment": w.master}),
            ("high_school_referent", Role.HIGH_SCHOOL_REFERENT, {"high_school": w.high_school}),
            ("host_high_school_referent", Role.HIGH_SCHOOL_REFERENT, {"high_school": w.host_high_school}),
            ("legal", Role.LEGAL_DEPARTMENT, {"establishment": w.master}),
            ("pupil", Role.PUPIL, {}),
            ("other_pupil", Role.PUPIL, {}),
            ("student", Role.STUDENT, {}),
            ("visitor", Role.VISITOR, {}),
        ]
        users = User.objects.bulk_create([_new_user(is_operator=role is None) for _name, role, _scope in people])
        for (name, _role, _scope), user in zip(people, users, strict=True):
            setattr(w, name, user)
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(site=site, user=user, role=role, **scope)
                for (_name, role, scope), user in zip(people, users, strict=True)
                if role is not None
            ]
        )
        w.slot.speakers.add(w.speaker)
        w.pupil_record = PupilRecord.objects.create(
            site=site,
            user=w.pupil,
            high_school=w.high_school,
            status=RecordStatus.VALIDATED,
            validated_at=timezone.now(),
            birth_date=today.replace(year=today.year - 16),
        )
        w.other_pupil_record = PupilRecord.objects.create(
            site=site,
            user=w.other_pupil,
            high_school=w.high_school,
            status=RecordStatus.TO_VALIDATE,
            submitted_at=timezone.now(),
        )
        w.student_record = StudentRecord.objects.create(site=site, user=w.student)
        w.visitor_record = VisitorRecord.objects.create(site=site, user=w.visitor)
        w.federation = FederationSettings.objects.create(site=site)
        SavedListFilter.objects.create(site=site, user=w.structure_referent, list_key="slots", query_string="")
        w.charter = Charter.objects.create(site=site, version="1", text="Charte", published_at=timezone.now())
        w.charter_signature = CharterSignature.objects.create(
            site=site, charter=w.charter, establishment=w.host, signed_by=w.host_referent
        )
        w.registration = Registration.objects.create(site=site, slot=w.slot, person=w.pupil)
        w.other_registration = Registration.objects.create(site=site, slot=w.other_slot, person=w.other_pupil)
        # Keep the counters true, as the registration services do.
        Slot.objects.filter(pk__in=[w.slot.pk, w.other_slot.pk]).update(individual_places_taken=1)
        w.slot.individual_places_taken = w.other_slot.individual_places_taken = 1
    return w


def make_slot(w, course, days=7, **fields):
    defaults = dict(
        site=w.site,
        course=course,
        course_type=w.course_type,
        period=w.period,
        date=timezone.localdate() + dt.timedelta(days=days),
        start_time=dt.time(10),
        end_time=dt.time(12),
        campus=w.campus,
        building=w.building,
        room="A101",
        individual_places=10,
        published=True,
    )
    defaults.update(fields)
    if defaults.get("place") in (Slot.Place.OUTSIDE, Slot.Place.REMOTE):
        defaults["campus"] = defaults["building"] = None
    return Slot.objects.create(**defaults)


def make_pupil(w, high_school=None, **fields):
    """A new pupil of the site with a validated record (of the world's partner high school by default)."""
    user = make_user()
    grant(user, w.site, Role.PUPIL)
    PupilRecord.objects.create(
        site=w.site,
        user=user,
        high_school=high_school or w.high_school,
        status=RecordStatus.VALIDATED,
        validated_at=timezone.now(),
        **fields,
    )
    return user
