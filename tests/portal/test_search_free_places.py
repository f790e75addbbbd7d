"""The slot search's "only slots with free places": a place can be taken now, as the engine decides.

Registrations open (window and the slot's own deadline), not started, places left after the
ones held by waiting-list offers, nobody in line, individual registrations taken.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.academic_calendar.models import Period
from apps.catalogue.models import Slot
from apps.registrations.models import WaitingListEntry, WaitingStatus
from apps.registrations.rules import evaluate
from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site
from tests.factories import make_pupil, make_slot

pytestmark = pytest.mark.django_db


def _free(client):
    response = client.get(reverse("portal:search"), {"free_only": "on"})
    assert response.status_code == 200
    content = response.content.decode()
    return content[content.index('id="results-title"') :]


def _everything(client):
    content = client.get(reverse("portal:search")).content.decode()
    return content[content.index('id="results-title"') :]


def _url(slot):
    return f'href="{reverse("portal:slot", args=[slot.pk])}"'


def test_a_slot_whose_deadline_passed_is_not_free_although_it_has_places(client, world):
    w = world
    with for_site(w.site):
        closed = make_slot(w, w.course, days=5, registration_deadline=timezone.now() - dt.timedelta(hours=1))
        pupil = make_pupil(w)
        # The engine agrees: the deadline refuses a newcomer.
        assert not evaluate(Slot.objects.get(pk=closed.pk), pupil, by=pupil, site=w.site).allowed
    assert closed.individual_places_left > 0
    assert _url(closed) in _everything(client)  # still shown by the plain search
    found = _free(client)
    assert _url(closed) not in found
    assert _url(w.other_slot) in found  # open, with places


def test_the_periods_deadline_policy_counts_too(client, world):
    """No deadline of its own: the period's "N hours before the slot" policy closes it."""
    w = world
    with for_site(w.site):
        Period.objects.filter(pk=w.period.pk).update(registration_hours_before=24 * 3)
        soon = make_slot(w, w.course, days=2)  # registrations closed 72 hours before: yesterday
        later = make_slot(w, w.course, days=20)
    found = _free(client)
    assert _url(soon) not in found and _url(later) in found


@pytest.mark.parametrize(
    "window",
    [
        {"registration_start": dt.timedelta(days=1), "registration_end": dt.timedelta(days=5)},  # not open yet
        {"registration_start": dt.timedelta(days=-5), "registration_end": dt.timedelta(days=-1)},  # closed
    ],
)
def test_outside_the_registration_window_nothing_is_free(client, world, window):
    w = world
    now = timezone.now()
    with for_site(w.site):
        Period.objects.filter(pk=w.period.pk).update(**{name: now + delta for name, delta in window.items()})
    found = _free(client)
    for slot in (w.slot, w.other_slot, w.host_slot, w.event_slot):
        assert _url(slot) not in found


def test_places_held_by_offers_or_owed_to_the_line_are_not_free(client, world):
    w = world
    with for_site(w.site):
        held = make_slot(w, w.course, days=6, individual_places=1)
        owed = make_slot(w, w.course, days=6, start_time=dt.time(14), end_time=dt.time(16))
        open_slot = make_slot(w, w.course, days=6, start_time=dt.time(17), end_time=dt.time(18))
        WaitingListEntry.objects.create(
            site=w.site,
            slot=held,
            person=make_pupil(w),
            status=WaitingStatus.OFFERED,
            offered_at=timezone.now(),
            offer_expires_at=timezone.now() + dt.timedelta(hours=5),
        )
        WaitingListEntry.objects.create(site=w.site, slot=owed, person=make_pupil(w))
        # An expired offer holds nothing.
        WaitingListEntry.objects.create(
            site=w.site,
            slot=open_slot,
            person=make_pupil(w),
            status=WaitingStatus.OFFERED,
            offered_at=timezone.now() - dt.timedelta(hours=5),
            offer_expires_at=timezone.now() - dt.timedelta(hours=1),
        )
    found = _free(client)
    assert _url(held) not in found and _url(owed) not in found
    assert _url(open_slot) in found


def test_nothing_is_free_when_the_site_takes_no_individual_registrations(client, world):
    w = world
    Site.objects.filter(pk=w.site.pk).update(individual_registrations_enabled=False)
    found = _free(client)
    for slot in (w.other_slot, w.host_slot, w.event_slot):
        assert _url(slot) not in found


def test_the_filter_costs_the_same_queries_whatever_the_number_of_slots(client, world):
    w = world
    client.force_login(w.pupil)  # signed in: never served from the cache
    _free(client)
    with CaptureQueriesContext(connection) as few:
        _free(client)
    with for_site(w.site):
        for n in range(12):
            make_slot(w, w.course, days=3 + n, registration_deadline=timezone.now() + dt.timedelta(days=1 + n))
    _free(client)  # the form's choices, read again once the offer changed
    with CaptureQueriesContext(connection) as many:
        _free(client)
    assert len(many.captured_queries) == len(few.captured_queries)
