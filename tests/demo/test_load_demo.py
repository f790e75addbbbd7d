"""The demo sites: the offer, the organisations and the accounts (fixture ``demo`` in conftest.py)."""

import datetime as dt

from django.apps import apps
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from apps.academic_calendar.models import Holiday, Vacation
from apps.accounts.models import Role, RoleAssignment, User
from apps.catalogue.models import Course, Event, Slot, Training
from apps.demo import services
from apps.demo.builders.immersions import PAST_NOTE
from apps.demo.specs import DEMO_PASSWORD
from apps.organisations.models import Establishment, HighSchool, Structure
from apps.referentials.models import CourseType
from apps.registrations.models import GroupRegistration, Registration, Status
from apps.tenancy.models import SiteHost, SiteOwnedModel
from apps.tenancy.scoping import for_site, platform_job

from .helpers import row_counts


def test_second_run_changes_no_row_count(demo, db):
    assert demo.after_first == demo.after_second
    assert "Rows created: 0, rows updated: 0" in demo.second_out
    assert "slots already present, kept" in demo.second_out


def test_a_later_run_moves_nothing(demo, db):
    before = row_counts()
    report = services.load_demo(today=timezone.localdate() + dt.timedelta(days=10))
    assert row_counts() == before
    assert sum(report.stats.created.values()) == sum(report.stats.updated.values()) == 0


def test_sites_and_hosts(demo, db):
    with platform_job():
        assert demo.one.name == "ImmerSup Alsace"
        assert demo.two.name == "ImmerSup Lorraine"
        assert demo.one.primary_host == "localhost"
        assert set(SiteHost.objects.filter(site=demo.one).values_list("host", flat=True)) == {
            "localhost",
            "127.0.0.1",
            "demo.localhost",
        }
        assert list(SiteHost.objects.filter(site=demo.two).values_list("host", flat=True)) == ["site2.localhost"]


def site_owned_foreign_keys():
    for model in apps.get_models():
        if not issubclass(model, SiteOwnedModel):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.name != "site" and issubclass(field.related_model, SiteOwnedModel):
                yield model, field.name


def test_no_row_points_into_another_site(demo, db):
    checked = 0
    with platform_job():
        for model, name in site_owned_foreign_keys():
            rows = model._base_manager.filter(**{f"{name}__isnull": False})
            assert not rows.exclude(**{f"{name}__site": F("site")}).exists(), f"{model.__name__}.{name}"
            checked += rows.count()
        for model in apps.get_models():
            if not issubclass(model, SiteOwnedModel):
                continue
            for field in model._meta.many_to_many:
                if not issubclass(field.related_model, SiteOwnedModel):
                    continue
                through = field.remote_field.through
                source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                links = through.objects.all()
                assert not links.exclude(**{f"{source}__site": F(f"{target}__site")}).exists(), field
                checked += links.count()
    assert checked > 1000


def test_sites_are_sealed(demo, db):
    with for_site(demo.two):
        assert Establishment.objects.get().label == "Université de Lorraine"
        assert Structure.objects.count() == 1
        assert HighSchool.objects.count() == 1
        assert 0 < Slot.objects.count() < 30
        assert not Slot.objects.filter(course__training__structure__establishment__code="UNISTRA").exists()
        assert CourseType.objects.count() == 4  # its own reference data
    with for_site(demo.one):
        assert Establishment.objects.count() == 3
        assert not Establishment.objects.filter(code="UL").exists()
        assert CourseType.objects.count() == 4


def test_site_one_organisations(demo, db):
    with for_site(demo.one):
        master = Establishment.objects.get(is_master=True)
        assert master.label == "Université de Strasbourg"
        assert master.institution.uai == "0673021V"
        assert Establishment.objects.filter(institution__isnull=False).count() == 3
        assert Structure.objects.count() >= 8
        host = HighSchool.objects.get(hosts_post_bac_trainings=True)
        assert Training.objects.filter(high_school=host, label__startswith="BTS").exists()
        partners = HighSchool.objects.filter(hosts_post_bac_trainings=False)
        assert partners.count() == 3
        assert partners.filter(agreement_start__isnull=False).count() == 2
        assert partners.filter(accepts_individual_immersions=False).count() == 1
        assert all(school.directory_entry_id for school in HighSchool.objects.all())
        assert 28 <= Training.objects.count() <= 40
        assert all(training.subdomains.exists() for training in Training.objects.all())
        assert 55 <= Course.objects.count() <= 75


def test_site_one_slots(demo, db):
    today = timezone.localdate()
    with for_site(demo.one):
        slots = Slot.objects.all()
        assert 280 <= slots.count() <= 330
        closed = set(Holiday.objects.values_list("date", flat=True))
        for vacation in Vacation.objects.all():
            closed |= {
                vacation.start_date + dt.timedelta(days=n)
                for n in range((vacation.end_date - vacation.start_date).days + 1)
            }
        for slot in slots.exclude(additional_information=PAST_NOTE):  # the pupil's past immersions aside
            assert today < slot.date <= today + dt.timedelta(weeks=8)
            assert slot.date.weekday() < 5 and slot.date not in closed
            assert dt.time(8) <= slot.start_time < slot.end_time <= dt.time(18)
            assert slot.period.immersion_start <= slot.date <= slot.period.immersion_end
        assert len({slot.course_type_id for slot in slots if slot.course_id}) == 4

        full = slots.filter(individual_places__gt=0, individual_places_taken=F("individual_places"))
        assert full.count() >= 5
        remote = slots.filter(place=Slot.Place.REMOTE)
        assert remote.count() >= 5
        assert not remote.filter(remote_url="").exists()
        assert slots.filter(allows_group_registrations=True).count() >= 5
        assert slots.filter(allowed_high_school_levels__isnull=False).exists()
        assert slots.filter(allowed_bachelor_types__isnull=False).exists()
        assert slots.filter(allowed_high_schools__isnull=False).exists()
        assert slots.filter(allowed_specialities__isnull=False).exists()
        assert slots.filter(allowed_series__isnull=False).exists()
        assert len(services.restricted_slot_ids(demo.one)) >= 10
        speaker = User.objects.get(email="speaker@demo.immersup.test")
        assert slots.filter(speakers=speaker).count() >= 10


def test_places_taken_match_registrations(demo, db):
    with for_site(demo.one):
        active = Q(registrations__status=Status.ACTIVE)
        slots = Slot.objects.annotate(active=Count("registrations", filter=active))
        assert not slots.exclude(active=F("individual_places_taken")).exists()
        assert Registration.objects.count() >= 50
        for slot in Slot.objects.filter(group_registrations__isnull=False).distinct():
            total = slot.group_registrations.filter(status=Status.ACTIVE).aggregate(n=Sum("pupils_count"))["n"]
            assert slot.group_places_taken == total
        assert GroupRegistration.objects.count() == 2
        pupil = User.objects.get(email="pupil@demo.immersup.test")
        upcoming = Registration.objects.filter(person=pupil, status=Status.ACTIVE, slot__date__gt=timezone.localdate())
        assert upcoming.count() == 2  # room left in the quota to try registering


def test_events(demo, db):
    with for_site(demo.one):
        assert Event.objects.count() >= 3
        assert Event.objects.filter(event_type__label="Journée portes ouvertes").exists()
        assert Event.objects.filter(event_type__label="Visite de laboratoire").exists()
        visits = Slot.objects.filter(event__event_type__label="Visite dans un lycée")
        assert visits.exists()
        assert all(slot.place == Slot.Place.HIGH_SCHOOL and slot.place_high_school_id for slot in visits)
        assert all(list(slot.allowed_high_schools.all()) == [slot.place_high_school] for slot in visits)
        assert all(slot.event_id for slot in Slot.objects.filter(course__isnull=True))
        elsewhere = Slot.objects.get(place=Slot.Place.OUTSIDE)
        assert elsewhere.event.event_type.label == "Salon" and elsewhere.outside_address
        bts = Slot.objects.filter(course__training__high_school__isnull=False)
        assert bts.exists()
        assert all(slot.place == Slot.Place.HIGH_SCHOOL and slot.place_high_school_id for slot in bts)


def test_one_account_per_role(demo, db):
    with platform_job():
        operator = User.objects.get(email="operator@demo.immersup.test")
        assert operator.is_operator and operator.is_superuser
        assert operator.check_password(DEMO_PASSWORD)
        roles = set(RoleAssignment.objects.filter(site=demo.one).values_list("role", flat=True))
        assert roles == set(Role.values)
        for assignment in RoleAssignment.objects.filter(site=demo.one).select_related("user"):
            assignment.full_clean()  # the scope matches the role
            assert assignment.user.email.endswith("@demo.immersup.test")
        assert RoleAssignment.objects.filter(site=demo.one, role=Role.HIGH_SCHOOL_REFERENT).count() == 2
        assert set(RoleAssignment.objects.filter(site=demo.two).values_list("role", flat=True)) >= {
            Role.MASTER_REFERENT,
            Role.PUPIL,
        }
        assert User.objects.get(email="master@site2.immersup.test").check_password(DEMO_PASSWORD)


def test_the_command_prints_the_accounts(demo, db):
    for email in ("operator@demo.immersup.test", "master@demo.immersup.test", "pupil@site2.immersup.test"):
        assert email in demo.first_out
    assert "http://site2.localhost:8000" in demo.first_out
    assert DEMO_PASSWORD in demo.first_out


def test_demo_rows_pass_model_validation(demo, db):
    """bulk_create skips full_clean(): validate a sample of every site-owned model, slots of every kind."""
    with platform_job():
        for site in (demo.one, demo.two):
            with for_site(site):
                for model in apps.get_models():
                    if issubclass(model, SiteOwnedModel):
                        for row in model.objects.order_by("pk")[:10]:
                            row.full_clean()
                for place in Slot.Place.values:
                    for slot in Slot.objects.filter(place=place).order_by("pk")[:5]:
                        slot.full_clean()
