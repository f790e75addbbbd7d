"""'My immersions': upcoming, past and cancelled registrations, waiting lists, alerts (HTTP only)."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.referentials.models import CancellationReason
from apps.registrations.models import Attendance, CourseAlert, Registration, Status, WaitingListEntry, WaitingStatus
from apps.tenancy.scoping import for_site
from tests.factories import make_slot, make_user

MINE = reverse("registrations:mine")


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def card(page, registration):
    """The HTML of one registration card."""
    match = re.search(rf'<article[^>]*data-registration="{registration.pk}".*?</article>', page, re.S)
    assert match, f"no card for registration {registration.pk}"
    return match.group(0)


def section(page, anchor):
    match = re.search(rf'<section[^>]*id="{anchor}".*?</section>', page, re.S)
    assert match
    return match.group(0)


def past_registration(world, person, days_ago=3, attendance=Attendance.PRESENT, course=None):
    """A registration on a slot that took place (created as the engine left it, counters true)."""
    with for_site(world.site):
        slot = make_slot(world, course or world.other_course, days=-days_ago, individual_places=5)
        registration = Registration.objects.create(site=world.site, slot=slot, person=person, attendance=attendance)
        Slot.objects.filter(pk=slot.pk).update(individual_places_taken=1)
    return registration


@pytest.fixture
def rich(world):
    """The pupil has one of each: upcoming, remote, past present / absent, cancelled, waiting, offer, alert."""
    w = world
    with for_site(w.site):
        remote_slot = make_slot(
            w, w.host_course, days=10, place=Slot.Place.REMOTE, remote_url="https://visio.example/r"
        )
        remote = Registration.objects.create(site=w.site, slot=remote_slot, person=w.pupil)
        reason = CancellationReason.objects.create(site=w.site, label="Illness")
        cancelled = Registration.objects.create(
            site=w.site,
            slot=w.event_slot,
            person=w.pupil,
            status=Status.CANCELLED,
            cancelled_at=timezone.now(),
            cancellation_reason=reason,
        )
        full = make_slot(w, w.bts_course, days=12, individual_places=1, place=Slot.Place.OUTSIDE, outside_address="X")
        first = make_user()
        WaitingListEntry.objects.create(
            site=w.site, slot=full, person=first, joined_at=timezone.now() - dt.timedelta(1)
        )
        waiting = WaitingListEntry.objects.create(site=w.site, slot=full, person=w.pupil)
        offered_slot = make_slot(w, w.course, days=20, individual_places=1)
        offer = WaitingListEntry.objects.create(
            site=w.site,
            slot=offered_slot,
            person=w.pupil,
            status=WaitingStatus.OFFERED,
            offered_at=timezone.now(),
            offer_expires_at=timezone.now() + dt.timedelta(hours=20),
        )
        alert = CourseAlert.objects.create(site=w.site, course=w.other_course, person=w.pupil)
    present = past_registration(w, w.pupil, attendance=Attendance.PRESENT)
    absent = past_registration(w, w.pupil, days_ago=5, attendance=Attendance.ABSENT)
    return dict(
        remote=remote, cancelled=cancelled, waiting=waiting, offer=offer, alert=alert, present=present, absent=absent
    )


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(MINE)
    assert response.status_code == 302 and "next=" in response.url


def test_empty_states(en, world):
    person = make_user()
    en.force_login(person)
    page = en.get(MINE).content.decode()
    assert "You have no upcoming immersion." in page
    assert "No past immersion yet." in page
    assert "No cancelled registration." in page
    assert "You are on no waiting list." in page
    assert "You have no course alert." in page
    assert reverse("registrations:calendar") in page


def test_every_section_shows_its_rows(en, world, rich):
    en.force_login(world.pupil)
    response = en.get(MINE)
    assert response.status_code == 200
    page = response.content.decode()

    upcoming = section(page, "upcoming")
    own = card(upcoming, world.registration)
    for text in ("Algorithmique", "Licence Informatique", "Cours magistral", "Campus central", "Atrium", "A101"):
        assert text in own
    assert world.speaker.get_full_name() in own and world.speaker.email not in page
    assert reverse("registrations:cancel", args=[world.registration.pk]) in own
    assert reverse("portal:slot", args=[world.slot.pk]) in own
    # Remote: the link is not shown yet, its time is
    remote = card(upcoming, rich["remote"])
    assert "https://visio.example/r" not in page
    assert "The connection link will be shown here from" in remote

    past = section(page, "past")
    present, absent = card(past, rich["present"]), card(past, rich["absent"])
    assert "Present" in present and reverse("registrations:certificate", args=[rich["present"].pk]) in present
    assert "Absent" in absent and "certificate.pdf" not in absent
    assert "/cancel/" not in past

    cancelled = card(section(page, "cancelled"), rich["cancelled"])
    assert "Illness" in cancelled and "/cancel/" not in cancelled

    assert "Position 2 in line" in section(page, "waiting")
    assert reverse("registrations:leave_waiting_list", args=[rich["waiting"].pk]) in page
    assert reverse("registrations:claim_offer", args=[rich["offer"].pk]) in page
    assert "A place is held for you until" in page
    alerts = section(page, "alerts")
    assert "Poésie" in alerts and reverse("registrations:course_alert", args=[world.other_course.pk]) in alerts


def test_the_remote_link_shows_shortly_before_the_start_only(en, world):
    lead = world.site.remote_link_lead_minutes
    with for_site(world.site):
        slot = make_slot(
            world,
            world.host_course,
            days=1,
            start_time=dt.time(10),
            end_time=dt.time(12),
            place=Slot.Place.REMOTE,
            remote_url="https://visio.example/now",
        )
        Registration.objects.create(site=world.site, slot=slot, person=world.pupil)
    start = timezone.make_aware(dt.datetime.combine(slot.date, slot.start_time))
    en.force_login(world.pupil)
    with mock.patch("django.utils.timezone.now", return_value=start - dt.timedelta(minutes=lead + 5)):
        assert "https://visio.example/now" not in en.get(MINE).content.decode()  # too early
    with mock.patch("django.utils.timezone.now", return_value=start - dt.timedelta(minutes=lead - 5)):
        assert "https://visio.example/now" in en.get(MINE).content.decode()
        en.force_login(world.other_pupil)  # not theirs: nothing
        assert "https://visio.example/now" not in en.get(MINE).content.decode()


def test_no_remote_link_on_a_cancelled_registration(en, world):
    with for_site(world.site):
        slot = make_slot(
            world,
            world.host_course,
            days=0,
            start_time=dt.time(0, 1),
            end_time=dt.time(23, 59),
            place=Slot.Place.REMOTE,
            remote_url="https://visio.example/gone",
        )
        Registration.objects.create(
            site=world.site, slot=slot, person=world.pupil, status=Status.CANCELLED, cancelled_at=timezone.now()
        )
    en.force_login(world.pupil)
    assert "https://visio.example/gone" not in en.get(MINE).content.decode()


def test_no_cancel_button_after_the_deadline(en, world):
    with for_site(world.site):
        Slot.objects.filter(pk=world.slot.pk).update(cancellation_deadline=timezone.now() - dt.timedelta(hours=1))
    en.force_login(world.pupil)
    own = card(en.get(MINE).content.decode(), world.registration)
    assert "/cancel/" not in own
    assert "Cancellations for this slot closed on" in own


def test_only_own_rows_of_this_site(en, world, other_world, rich):
    with for_site(other_world.site):
        foreign = Registration.objects.create(site=other_world.site, slot=other_world.slot, person=world.pupil)
    en.force_login(world.other_pupil)
    page = en.get(MINE).content.decode()
    assert f'data-registration="{world.registration.pk}"' not in page
    assert f'data-registration="{world.other_registration.pk}"' in page
    en.force_login(world.pupil)
    page = en.get(MINE).content.decode()
    assert f'data-registration="{foreign.pk}"' not in page


def count_queries(client):
    with CaptureQueriesContext(connection) as context:
        assert client.get(MINE).status_code == 200
    return len(context.captured_queries)


def test_constant_number_of_queries(en, world, rich):
    en.force_login(world.pupil)
    count_queries(en)  # warm up (session, site caches)
    before = count_queries(en)
    with for_site(world.site):
        for days in (30, 31, 32):
            slot = make_slot(world, world.host_course, days=days)
            slot.speakers.add(make_user(), make_user())
            Registration.objects.create(site=world.site, slot=slot, person=world.pupil)
            full = make_slot(world, world.other_course, days=days, start_time=dt.time(14), end_time=dt.time(15))
            WaitingListEntry.objects.create(site=world.site, slot=full, person=world.pupil)
            WaitingListEntry.objects.create(site=world.site, slot=full, person=world.other_pupil)
    for days_ago in (10, 11):
        past_registration(world, world.pupil, days_ago=days_ago, course=world.host_course)
    assert count_queries(en) == before, before
    assert before < 20
