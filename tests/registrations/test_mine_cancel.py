"""A registrant cancels their own registration, with a reason, before the deadline (HTTP only)."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.referentials.models import CancellationReason
from apps.registrations.models import Registration, Status
from apps.tenancy.scoping import for_site


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def reasons(world, other_world):
    with for_site(world.site):
        ill = CancellationReason.objects.create(site=world.site, label="Illness", position=1)
        staff_only = CancellationReason.objects.create(
            site=world.site, label="Slot moved", usable_by_registrants=False, position=2
        )
        CancellationReason.objects.create(site=world.site, label="Retired", is_active=False)
    with for_site(other_world.site):
        foreign = CancellationReason.objects.create(site=other_world.site, label="Elsewhere")
    return ill, staff_only, foreign


def last_message(response):
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def state(world, registration):
    with for_site(world.site):
        registration = Registration.objects.get(pk=registration.pk)
        return registration.status, Slot.objects.get(pk=registration.slot_id).individual_places_taken


def test_the_page_lists_the_registrant_reasons_only(en, world, reasons):
    en.force_login(world.pupil)
    response = en.get(reverse("registrations:cancel", args=[world.registration.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Illness" in page and world.course.label in page
    assert "Slot moved" not in page and "Retired" not in page and "Elsewhere" not in page
    assert 'type="radio"' in page and "<legend" in page


def test_cancel_with_a_reason(en, world, reasons, django_capture_on_commit_callbacks):
    ill = reasons[0]
    en.force_login(world.pupil)
    url = reverse("registrations:cancel", args=[world.registration.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(url, {"reason": ill.pk})
    assert response.status_code == 302 and response.url == reverse("registrations:mine")
    assert last_message(response).startswith("Your registration is cancelled")
    assert state(world, world.registration) == (Status.CANCELLED, 0)
    with for_site(world.site):
        assert Registration.objects.get(pk=world.registration.pk).cancellation_reason == ill

    # Again: already cancelled, nothing changes, no error page.
    response = en.post(url, {"reason": ill.pk})
    assert response.status_code == 302
    assert last_message(response) == "This registration is already cancelled."
    assert en.get(url).status_code == 200


@pytest.mark.parametrize("which", ["missing", "unknown", "staff_only", "foreign"])
def test_a_bad_reason_is_a_form_error(en, world, reasons, which):
    _ill, staff_only, foreign = reasons
    data = {"missing": {}, "unknown": {"reason": "999999"}, "staff_only": {"reason": staff_only.pk}}.get(
        which, {"reason": foreign.pk}
    )
    en.force_login(world.pupil)
    response = en.post(reverse("registrations:cancel", args=[world.registration.pk]), data)
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert state(world, world.registration) == (Status.ACTIVE, 1)


def test_a_site_without_registrant_reasons_cancels_without_one(en, world):
    en.force_login(world.pupil)
    response = en.post(reverse("registrations:cancel", args=[world.registration.pk]))
    assert response.status_code == 302
    assert state(world, world.registration) == (Status.CANCELLED, 0)


def test_after_the_deadline_the_cancellation_is_refused(en, world, reasons):
    with for_site(world.site):
        Slot.objects.filter(pk=world.slot.pk).update(cancellation_deadline=timezone.now() - dt.timedelta(hours=1))
    en.force_login(world.pupil)
    url = reverse("registrations:cancel", args=[world.registration.pk])
    page = en.get(url)
    assert page.status_code == 200
    assert "Cancellations for this slot closed on" in page.content.decode()
    assert 'type="radio"' not in page.content.decode()
    response = en.post(url, {"reason": reasons[0].pk})
    assert response.status_code == 302
    assert last_message(response).startswith("Cancellations for this slot closed on")
    assert state(world, world.registration) == (Status.ACTIVE, 1)


def test_only_the_registrant_reaches_their_registration(en, client, world, other_world, reasons):
    url = reverse("registrations:cancel", args=[world.registration.pk])
    response = client.get(url)
    assert response.status_code == 302 and "next=" in response.url  # anonymous
    for person in (world.other_pupil, world.master_referent, world.high_school_referent):
        en.force_login(person)
        assert en.get(url).status_code == 404
        assert en.post(url, {"reason": reasons[0].pk}).status_code == 404
    assert state(world, world.registration) == (Status.ACTIVE, 1)
    # Another site's registration id, even one of the same person, is a 404 here.
    with for_site(other_world.site):
        foreign = Registration.objects.create(site=other_world.site, slot=other_world.slot, person=world.pupil)
    en.force_login(world.pupil)
    assert en.get(reverse("registrations:cancel", args=[foreign.pk])).status_code == 404
