"""The registrant's write endpoints: register, waiting list, offers, course alerts (HTTP only)."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.registrations.models import CourseAlert, Registration, Status, WaitingListEntry, WaitingStatus
from apps.tenancy.scoping import for_site
from tests.factories import make_slot


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def active(world, person, slot):
    with for_site(world.site):
        return Registration.objects.filter(person=person, slot=slot, status=Status.ACTIVE).count()


def taken(slot):
    with for_site(slot.site):
        return Slot.objects.get(pk=slot.pk).individual_places_taken


def new_slot(world, **fields):
    with for_site(world.site):
        return make_slot(world, world.course, days=fields.pop("days", 9), **fields)


def test_register_creates_one_registration_and_goes_back_to_the_slot(en, world, django_capture_on_commit_callbacks):
    slot = new_slot(world)
    en.force_login(world.pupil)
    url = reverse("registrations:register", args=[slot.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = en.post(url)
    assert response.status_code == 302
    assert response.url == reverse("portal:slot", args=[slot.pk])
    assert active(world, world.pupil, slot) == 1 and taken(slot) == 1
    assert len(callbacks) == 1  # the confirmation e-mail
    assert any("You are registered" in t for t in texts(response))

    # A double submit is answered kindly, and changes nothing.
    response = en.post(url)
    assert response.status_code == 302
    assert texts(response)[-1] == "You are already registered on this slot."
    assert active(world, world.pupil, slot) == 1 and taken(slot) == 1


def test_register_follows_a_safe_next_only(en, world):
    slot, other = new_slot(world), new_slot(world, days=11)
    en.force_login(world.pupil)
    response = en.post(reverse("registrations:register", args=[slot.pk]), {"next": "/my-immersions/?x=1"})
    assert response.url == "/my-immersions/?x=1"
    response = en.post(reverse("registrations:register", args=[other.pk]), {"next": "https://evil.example/"})
    assert response.url == reverse("portal:slot", args=[other.pk])


def test_get_is_not_allowed_on_write_endpoints(en, world):
    en.force_login(world.pupil)
    with for_site(world.site):
        entry = WaitingListEntry.objects.create(site=world.site, slot=world.other_slot, person=world.pupil)
    for url in (
        reverse("registrations:register", args=[world.slot.pk]),
        reverse("registrations:join_waiting_list", args=[world.slot.pk]),
        reverse("registrations:leave_waiting_list", args=[entry.pk]),
        reverse("registrations:claim_offer", args=[entry.pk]),
        reverse("registrations:course_alert", args=[world.course.pk]),
    ):
        assert en.get(url).status_code == 405, url


def test_anonymous_is_sent_to_sign_in(client, world):
    slot = new_slot(world)
    for url in (
        reverse("registrations:register", args=[slot.pk]),
        reverse("registrations:join_waiting_list", args=[slot.pk]),
        reverse("registrations:course_alert", args=[world.course.pk]),
    ):
        response = client.post(url)
        assert response.status_code == 302 and "next=" in response.url, url
    assert active(world, world.pupil, slot) == 0


def test_csrf_is_checked(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.pupil)
    slot = new_slot(world)
    assert client.post(reverse("registrations:register", args=[slot.pk])).status_code == 403
    assert active(world, world.pupil, slot) == 0


def test_refusals_are_shown_and_change_nothing(en, world):
    slot = new_slot(world)
    # A pupil whose record waits for validation
    en.force_login(world.other_pupil)
    response = en.post(reverse("registrations:register", args=[slot.pk]))
    assert response.status_code == 302
    assert "Your record has not been validated yet." in texts(response)
    assert active(world, world.other_pupil, slot) == 0 and taken(slot) == 0


def test_staff_without_a_record_gets_the_engine_refusal(en, world):
    slot = new_slot(world)
    en.force_login(world.speaker)
    response = en.post(reverse("registrations:register", args=[slot.pk]))
    assert response.status_code == 302
    assert texts(response)[-1] == "You may not register this person on this slot."
    assert taken(slot) == 0


def test_another_site_slot_is_a_404(en, world, other_world):
    en.force_login(world.pupil)
    for name in ("registrations:register", "registrations:join_waiting_list"):
        assert en.post(reverse(name, args=[other_world.slot.pk])).status_code == 404
    assert en.post(reverse("registrations:course_alert", args=[other_world.course.pk])).status_code == 404


@pytest.fixture
def full(world):
    """A one-place slot taken by someone else (registered by a manager)."""
    slot = new_slot(world, individual_places=1)
    with for_site(world.site):
        Registration.objects.create(site=world.site, slot=slot, person=world.visitor)
        Slot.objects.filter(pk=slot.pk).update(individual_places_taken=1)
    return slot


def test_join_and_leave_the_waiting_list(en, world, full):
    en.force_login(world.pupil)
    response = en.post(reverse("registrations:register", args=[full.pk]))
    assert "This slot is full." in texts(response)

    response = en.post(reverse("registrations:join_waiting_list", args=[full.pk]))
    assert response.status_code == 302
    assert any("in position 1" in t for t in texts(response))
    with for_site(world.site):
        entry = WaitingListEntry.objects.get(slot=full, person=world.pupil)
    assert entry.status == WaitingStatus.WAITING

    # Again (a double click): the truth, and nothing changes.
    response = en.post(reverse("registrations:join_waiting_list", args=[full.pk]))
    assert texts(response)[-1] == f"You are on the waiting list of {full}, in position 1."
    with for_site(world.site):
        assert WaitingListEntry.objects.filter(slot=full, person=world.pupil).count() == 1

    # Another person may not leave this entry for the pupil.
    en.force_login(world.student)
    assert en.post(reverse("registrations:leave_waiting_list", args=[entry.pk])).status_code == 404
    en.force_login(world.pupil)
    response = en.post(reverse("registrations:leave_waiting_list", args=[entry.pk]))
    assert response.status_code == 302 and response.url == reverse("registrations:mine")
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.WITHDRAWN
    response = en.post(reverse("registrations:leave_waiting_list", args=[entry.pk]))
    assert texts(response)[-1] == f"You have already left the waiting list of {full}."


def test_joining_a_slot_with_free_places_is_refused(en, world):
    slot = new_slot(world)
    en.force_login(world.pupil)
    response = en.post(reverse("registrations:join_waiting_list", args=[slot.pk]))
    assert texts(response)[-1] == "Places are free on this slot: register directly."
    with for_site(world.site):
        assert not WaitingListEntry.objects.filter(slot=slot).exists()


def offered_entry(world, slot, person, hours=5):
    with for_site(world.site):
        return WaitingListEntry.objects.create(
            site=world.site,
            slot=slot,
            person=person,
            status=WaitingStatus.OFFERED,
            offered_at=timezone.now(),
            offer_expires_at=timezone.now() + dt.timedelta(hours=hours),
        )


def test_claiming_an_offer_registers_once(en, world):
    slot = new_slot(world, individual_places=1)
    entry = offered_entry(world, slot, world.pupil)
    en.force_login(world.other_pupil)
    assert en.post(reverse("registrations:claim_offer", args=[entry.pk])).status_code == 404
    en.force_login(world.pupil)
    response = en.post(reverse("registrations:claim_offer", args=[entry.pk]))
    assert response.status_code == 302
    assert any("The place is yours" in t for t in texts(response))
    assert active(world, world.pupil, slot) == 1 and taken(slot) == 1
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.PROMOTED
    # A repeated claim (double click) tells the truth: the person is registered.
    response = en.post(reverse("registrations:claim_offer", args=[entry.pk]))
    assert texts(response)[-1] == f"The place is yours: you are registered on {slot}."
    assert active(world, world.pupil, slot) == 1 and taken(slot) == 1


def test_an_expired_offer_cannot_be_claimed(en, world):
    slot = new_slot(world, individual_places=1)
    entry = offered_entry(world, slot, world.pupil, hours=-1)
    en.force_login(world.pupil)
    response = en.post(reverse("registrations:claim_offer", args=[entry.pk]))
    assert texts(response)[-1] == "This offer has expired or was already used."
    assert active(world, world.pupil, slot) == 0


def test_other_site_entries_are_a_404(en, world, other_world):
    with for_site(other_world.site):
        entry = WaitingListEntry.objects.create(site=other_world.site, slot=other_world.slot, person=world.pupil)
    en.force_login(world.pupil)
    assert en.post(reverse("registrations:leave_waiting_list", args=[entry.pk])).status_code == 404
    assert en.post(reverse("registrations:claim_offer", args=[entry.pk])).status_code == 404


def test_course_alert_toggles(en, world):
    en.force_login(world.pupil)
    url = reverse("registrations:course_alert", args=[world.course.pk])

    def pending():
        with for_site(world.site):
            return CourseAlert.objects.filter(course=world.course, person=world.pupil, notified_at=None).count()

    response = en.post(url)
    assert response.status_code == 302 and pending() == 1
    assert response.url == reverse("portal:course", args=[world.course.pk])
    assert any("We will e-mail you" in t for t in texts(response))
    en.post(url, {"action": "add"})  # explicit add is idempotent
    assert pending() == 1
    response = en.post(url, {"next": "/my-immersions/#alerts"})
    assert pending() == 0 and response.url == "/my-immersions/#alerts"
    en.post(url, {"action": "remove"})
    assert pending() == 0


def test_course_alert_needs_a_published_course(en, world):
    with for_site(world.site):
        world.course.published = False
        world.course.save()
    en.force_login(world.pupil)
    assert en.post(reverse("registrations:course_alert", args=[world.course.pk])).status_code == 404
