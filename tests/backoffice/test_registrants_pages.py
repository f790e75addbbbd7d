"""The registrants page of a slot: what it shows to whom, and in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.catalogue.models import Slot
from apps.registrations.models import Attendance, GroupRegistration, Registration, WaitingListEntry
from apps.tenancy.scoping import for_site
from tests.factories import make_user


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(client, slot):
    return client.get(reverse("backoffice:registrants_slot", args=[slot.pk]))


def test_the_page_lists_people_groups_and_the_waiting_list(english, world):
    w, client = world, english
    with for_site(w.site):
        GroupRegistration.objects.create(
            site=w.site,
            slot=w.slot,
            high_school=w.high_school,
            pupils_count=12,
            contact_name="Mme Prof",
            contact_email="prof@example.org",
        )
        waiting = make_user()
        WaitingListEntry.objects.create(site=w.site, slot=w.slot, person=waiting)
    client.force_login(w.structure_referent)
    response = _page(client, w.slot)
    assert response.status_code == 200
    html = response.content.decode()
    assert w.pupil.last_name in html and w.pupil.email in html
    assert "Lycée Kléber" in html  # the pupil's high school and the group's
    assert "Mme Prof" in html and "prof@example.org" in html
    assert waiting.last_name in html
    assert 'id="waiting-list"' in html
    assert 'name="ids"' in html  # the manager may cancel
    assert reverse("backoffice:registrants_register", args=[w.slot.pk]) in html


def test_a_consultant_reads_without_e_mails_nor_actions(english, world):
    english.force_login(world.consultant)
    html = _page(english, world.slot).content.decode()
    assert world.pupil.last_name in html
    assert world.pupil.email not in html
    assert 'name="ids"' not in html and "attendance-form" not in html


def test_the_speaker_sees_e_mails_and_waits_for_the_start_to_enter_attendance(english, world):
    english.force_login(world.speaker)
    html = _page(english, world.slot).content.decode()
    assert world.pupil.email in html
    assert 'name="ids"' not in html
    assert "Attendance can be entered once the slot has started." in html
    assert f'name="attendance-{world.registration.pk}"' not in html


def test_once_started_the_speaker_gets_one_accessible_fieldset_per_row(english, world):
    w = world
    with for_site(w.site):
        past = Slot.objects.create(**{**_fields(w.slot), "date": w.slot.date.replace(year=w.slot.date.year - 1)})
        past.speakers.add(w.speaker)
        registration = Registration.objects.create(site=w.site, slot=past, person=w.pupil)
    english.force_login(w.speaker)
    html = _page(english, past).content.decode()
    assert f'name="attendance-{registration.pk}"' in html
    assert "<legend" in html and "Attendance of" in html
    for value in (Attendance.PRESENT, Attendance.ABSENT, Attendance.REMOTE):
        assert f'id="attendance-{registration.pk}-{value}"' in html


def _fields(slot):
    names = ("site", "course", "course_type", "period", "start_time", "end_time", "campus", "building", "room")
    return {name: getattr(slot, name) for name in names} | {"individual_places": 50, "published": True}


def _add_registrants(w, slot, count):
    with for_site(w.site):
        for _ in range(count):
            person = make_user()
            Registration.objects.create(site=w.site, slot=slot, person=person, overrides=["restricted"])
            from apps.records.models import PupilRecord

            PupilRecord.objects.create(site=w.site, user=person, high_school=w.high_school)
            GroupRegistration.objects.create(
                site=w.site,
                slot=slot,
                high_school=w.high_school,
                pupils_count=3,
                contact_name="C",
                contact_email="c@example.org",
            )
            WaitingListEntry.objects.create(site=w.site, slot=slot, person=make_user())


@pytest.mark.parametrize("role", ["structure_referent", "speaker"])
def test_the_page_costs_the_same_number_of_queries_for_two_or_twenty_registrants(english, world, role):
    w = world
    english.force_login(getattr(w, role))
    _add_registrants(w, w.slot, 1)
    _page(english, w.slot)  # warm the per-request caches (site, charter...)
    with CaptureQueriesContext(connection) as few:
        assert _page(english, w.slot).status_code == 200
    _add_registrants(w, w.slot, 20)
    with CaptureQueriesContext(connection) as many:
        response = _page(english, w.slot)
    assert response.status_code == 200
    assert response.content.decode().count("restrictions") >= 21  # forced rules are shown
    assert len(many) == len(few)


def test_the_slot_page_and_my_slots_link_to_the_registrants(english, world):
    url = reverse("backoffice:registrants_slot", args=[world.slot.pk])
    english.force_login(world.structure_referent)
    html = english.get(reverse("backoffice:slots_detail", args=[world.slot.pk])).content.decode()
    assert url in html and reverse("backoffice:registrants_attendance_pdf", args=[world.slot.pk]) in html
    english.force_login(world.speaker)
    assert url in english.get(reverse("backoffice:offer_my_slots")).content.decode()


def test_the_french_page_renders(client, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(world.structure_referent)
    response = _page(client, world.slot)
    assert response.status_code == 200
    assert world.pupil.last_name in response.content.decode()


def test_the_attendance_list_has_the_registrants_groups_branding_and_a_signature_column(world):
    from django.template.loader import render_to_string
    from django.utils import translation

    from apps.accounts.policy import actor_for
    from apps.backoffice.registrants import selectors
    from apps.registrations import pdf

    w = world
    with for_site(w.site), translation.override("en"):
        GroupRegistration.objects.create(
            site=w.site,
            slot=w.slot,
            high_school=w.high_school,
            pupils_count=12,
            contact_name="Mme Prof",
            contact_email="prof@example.org",
        )
        slot = selectors.viewable_slots(actor_for(w.master_referent, w.site), w.site).get(pk=w.slot.pk)
        rows, _cancelled = selectors.registrant_rows(slot, w.site)
        context = {
            **pdf.branding(w.site, pdf.slot_host(slot)),
            "slot": slot,
            "rows": rows,
            "groups": selectors.group_registrations(slot),
        }
        html = render_to_string("registrations/pdf/attendance_list.html", context)
    assert w.pupil.last_name.upper() in html and w.pupil.first_name in html
    assert "Signature" in html and 'class="signature"' in html
    assert "Mme Prof" in html and "Lycée Kléber" in html
    assert w.master.label in html and w.site.name in html and w.site.primary_colour in html
    assert "http" not in html  # nothing to fetch
