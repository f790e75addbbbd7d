"""Changelists run a constant number of queries, however many rows they show."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import Role, RoleAssignment, User
from apps.catalogue.models import Course, Event, Slot, Training
from apps.organisations.models import HighSchool, Structure
from apps.registrations.models import GroupRegistration, Registration
from apps.tenancy.scoping import for_site
from tests.factories import grant, make_slot, make_user

from .helpers import admin_url, site_owned_admins

pytestmark = pytest.mark.django_db

N = 6


def add_courses(w, n):
    for i in range(n):
        training = Training.objects.create(site=w.site, label=f"Formation {i}", structure=w.structure)
        Course.objects.create(site=w.site, training=training, label=f"Cours {i}", published=bool(i % 2))
        bts = Training.objects.create(site=w.site, label=f"BTS {i}", high_school=w.host_high_school)
        Course.objects.create(site=w.site, training=bts, label=f"Cours BTS {i}")


def add_slots(w, n):
    for i in range(n):
        make_slot(w, w.course, days=10 + i)
        Slot.objects.create(
            site=w.site,
            event=w.event,
            period=w.period,
            date=w.period.immersion_start + dt.timedelta(days=i),
            start_time=dt.time(14),
            end_time=dt.time(16),
            campus=w.campus,
            individual_places=5,
            allows_group_registrations=True,
            group_places=2,
        )


def add_people(w, n):
    for i in range(n):
        person = make_user()
        grant(person, w.site, Role.PUPIL)
        grant(person, w.site, Role.STRUCTURE_CONSULTANT, structure=w.other_structure)
        high_school = HighSchool.objects.create(site=w.site, uai=f"06799{i:02d}Z", label=f"Lycée {i}", city="Colmar")
        grant(person, w.site, Role.HIGH_SCHOOL_REFERENT, high_school=high_school)
        grant(person, w.site, Role.SPEAKER, establishment=w.host)
        Structure.objects.create(site=w.site, establishment=w.host, code=f"S{i}", label=f"Structure {i}")


def add_registrations(w, n):
    for i in range(n):
        person = make_user()
        grant(person, w.site, Role.PUPIL)
        slot = make_slot(w, w.other_course, days=20 + i)
        Registration.objects.create(site=w.site, slot=slot, person=person)
        GroupRegistration.objects.create(
            site=w.site,
            slot=w.event_slot,
            high_school=w.high_school,
            pupils_count=3 + i,
            contact_name="Prof",
            contact_email="prof@example.org",
        )
    Event.objects.filter(pk=w.event.pk).update(label="Portes ouvertes !")


GROWERS = {
    Slot: add_slots,
    Course: add_courses,
    RoleAssignment: add_people,
    User: add_people,
    Registration: add_registrations,
    GroupRegistration: add_registrations,
}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


@pytest.mark.parametrize("model", list(GROWERS), ids=lambda m: m._meta.label)
@pytest.mark.parametrize("who", ["master_referent", "operator"])
def test_changelist_queries_do_not_grow_with_rows(client, alpha, beta, model, who):
    client.force_login(getattr(alpha, who))
    url = admin_url(model)
    client.get(url)  # warm up (content types, sessions)
    before, rows_before = count_queries(client, url)

    with for_site(alpha.site):
        GROWERS[model](alpha, N)

    after, rows_after = count_queries(client, url)
    assert rows_after > rows_before
    assert after == before, f"{model.__name__}: {before} queries for {rows_before} rows, {after} for {rows_after}"


@pytest.mark.parametrize("model", [model for model, _ in site_owned_admins()], ids=lambda m: m._meta.label)
def test_every_changelist_stays_within_a_small_budget(master_client, alpha, beta, model):
    """A rough guard for the models without a grower above: no changelist does per-row queries
    on the small test world (the largest has a handful of rows and a few filters)."""
    queries, rows = count_queries(master_client, admin_url(model))
    assert queries <= 16, f"{model.__name__}: {queries} queries for {rows} rows"
