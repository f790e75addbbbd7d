"""A repeated submission (double click, resent form) changes nothing and is answered truthfully.

The person sees the answer to their last submission: it must say what the first one did
("you are registered", "already cancelled", "you are on the waiting list"), never a refusal
that suggests it failed. Everything through the HTTP test client; the concurrent version of the
claim and of the group registration is in ``test_concurrency_repeats.py`` (PostgreSQL).
"""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.registrations.models import GroupRegistration, Registration, Status, WaitingListEntry, WaitingStatus
from apps.registrations.services import cancel_registration, register
from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site
from tests.factories import make_pupil, make_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def said(response):
    """(level, text) of the last message of a response: what the person reads after this submission."""
    (*_earlier, last) = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    return last


def offer(w, slot, person, hours=5):
    with for_site(w.site):
        return WaitingListEntry.objects.create(
            site=w.site,
            slot=slot,
            person=person,
            status=WaitingStatus.OFFERED,
            offered_at=timezone.now(),
            offer_expires_at=timezone.now() + dt.timedelta(hours=hours),
        )


def full_slot(w, **fields):
    with for_site(w.site):
        slot = make_slot(w, w.course, days=9, individual_places=1, **fields)
        holder = make_pupil(w)
        return slot, register(slot, holder, by=holder)


# --- Taking the place offered ---------------------------------------------------------------------


def test_taking_the_place_twice_says_registered_both_times(en, world, django_capture_on_commit_callbacks):
    w = world
    with for_site(w.site):
        slot = make_slot(w, w.course, days=9, individual_places=1)
    entry = offer(w, slot, w.pupil)
    en.force_login(w.pupil)
    url = reverse("registrations:claim_offer", args=[entry.pk])
    with django_capture_on_commit_callbacks(execute=True) as first_callbacks:
        first = en.post(url)
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = en.post(url)
    registered = ("success", f"The place is yours: you are registered on {slot}.")
    assert said(first) == registered and said(second) == registered
    assert len(first_callbacks) == 1 and second_callbacks == []  # one confirmation e-mail
    with for_site(w.site):
        assert Registration.objects.filter(slot=slot, person=w.pupil, status=Status.ACTIVE).count() == 1
        assert Slot.objects.get(pk=slot.pk).individual_places_taken == 1
        assert WaitingListEntry.objects.get(pk=entry.pk).status == WaitingStatus.PROMOTED


def test_a_used_offer_after_the_registration_was_cancelled_is_refused(en, world):
    """Not registered any more: the old offer is no way back in, and the answer says so."""
    w = world
    with for_site(w.site):
        slot = make_slot(w, w.course, days=9, individual_places=1)
    entry = offer(w, slot, w.pupil)
    en.force_login(w.pupil)
    url = reverse("registrations:claim_offer", args=[entry.pk])
    en.post(url)
    with for_site(w.site):
        cancel_registration(Registration.objects.get(slot=slot, person=w.pupil), by=w.pupil)
    assert said(en.post(url)) == ("error", "This offer has expired or was already used.")


def test_declining_a_place_already_taken_says_registered(en, world):
    w = world
    with for_site(w.site):
        slot = make_slot(w, w.course, days=9, individual_places=1)
    entry = offer(w, slot, w.pupil)
    en.force_login(w.pupil)
    en.post(reverse("registrations:claim_offer", args=[entry.pk]))
    response = en.post(reverse("registrations:leave_waiting_list", args=[entry.pk]))
    assert said(response) == (
        "info",
        f"You are registered on {slot}; to give up your place, cancel your registration.",
    )
    with for_site(w.site):
        assert Registration.objects.filter(slot=slot, person=w.pupil, status=Status.ACTIVE).count() == 1


def test_declining_twice(en, world):
    w = world
    slot, _holder = full_slot(w)
    entry = offer(w, slot, w.pupil)
    en.force_login(w.pupil)
    url = reverse("registrations:leave_waiting_list", args=[entry.pk])
    assert said(en.post(url)) == ("success", f"You have left the waiting list of {slot}.")
    assert said(en.post(url)) == ("info", f"You have already left the waiting list of {slot}.")


# --- Joining the waiting list ----------------------------------------------------------------------


def test_joining_twice_gives_the_position(en, world):
    w = world
    slot, _holder = full_slot(w)
    en.force_login(w.pupil)
    url = reverse("registrations:join_waiting_list", args=[slot.pk])
    assert said(en.post(url)) == ("success", f"You are on the waiting list of {slot}, in position 1.")
    assert said(en.post(url)) == ("info", f"You are on the waiting list of {slot}, in position 1.")
    with for_site(w.site):
        assert WaitingListEntry.objects.filter(slot=slot, person=w.pupil).count() == 1


def test_joining_while_a_place_is_held_for_you_says_so(en, world):
    w = world
    slot, _holder = full_slot(w)
    offer(w, slot, w.pupil)
    en.force_login(w.pupil)
    response = en.post(reverse("registrations:join_waiting_list", args=[slot.pk]))
    assert said(response) == ("info", f"A place is held for you on {slot}: take it from My immersions.")


# --- Registering and cancelling ---------------------------------------------------------------------


def test_registering_twice(en, world):
    w = world
    with for_site(w.site):
        slot = make_slot(w, w.course, days=9, individual_places=1)  # the first takes the last place
    en.force_login(w.pupil)
    url = reverse("registrations:register", args=[slot.pk])
    assert said(en.post(url))[0] == "success"
    assert said(en.post(url)) == ("info", "You are already registered on this slot.")


def test_cancelling_twice(en, world):
    w = world
    Site.objects.filter(pk=w.site.pk).update(waiting_list_enabled=True)
    en.force_login(w.pupil)
    url = reverse("registrations:cancel", args=[w.registration.pk])
    assert said(en.post(url))[0] == "success"
    assert said(en.post(url)) == ("info", "This registration is already cancelled.")


def test_a_referent_cancelling_a_pupils_registration_twice(en, world):
    w = world
    with for_site(w.site):
        slot = make_slot(w, w.course, days=9)
        pupil = make_pupil(w)
        registration = register(slot, pupil, by=w.high_school_referent)
    en.force_login(w.high_school_referent)
    url = reverse("registrations:cancel_pupil_registration", args=[registration.pk])
    assert said(en.post(url))[0] == "success"
    assert said(en.post(url)) == ("info", "This registration was already cancelled.")


# --- Groups ----------------------------------------------------------------------------------------------


GROUP = {
    "pupils_count": 12,
    "accompanying_adults": 2,
    "contact_name": "Mme Professeur",
    "contact_email": "prof@lycee.example",
    "contact_phone": "",
    "comment": "",
}


def group_slot(w, mode):
    with for_site(w.site):
        return make_slot(w, w.course, days=12, allows_group_registrations=True, group_mode=mode, group_places=30)


def groups_on(w, slot):
    with for_site(w.site):
        return list(GroupRegistration.objects.filter(slot=slot, status=Status.ACTIVE))


def form_key(client, url):
    """The submission key of the group form the page shows (a new one on each visit)."""
    page = client.get(url).content.decode()
    match = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert match, "the group form carries a submission key"
    return match.group(1)


@pytest.mark.parametrize("mode", [Slot.GroupMode.BY_PLACES, Slot.GroupMode.ONE_GROUP])
def test_registering_a_group_twice(en, world, mode, django_capture_on_commit_callbacks):
    w = world
    slot = group_slot(w, mode)
    en.force_login(w.high_school_referent)
    url = reverse("registrations:register_group", args=[slot.pk])
    data = {**GROUP, "submission_key": form_key(en, url)}
    with django_capture_on_commit_callbacks(execute=True) as first_callbacks:
        first = en.post(url, data)
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = en.post(url, data)
    assert first.status_code == second.status_code == 302
    assert said(first)[0] == "success"
    assert said(second) == ("info", f"The group of Lycée Kléber (Strasbourg) is already registered on {slot}.")
    assert len(groups_on(w, slot)) == 1 and len(first_callbacks) == 1 and second_callbacks == []
    with for_site(w.site):
        expected = 12 if mode == Slot.GroupMode.BY_PLACES else 30
        assert Slot.objects.get(pk=slot.pk).group_places_taken == expected


def test_another_form_is_another_group(en, world):
    """Each form shown registers its own group, even with the very same details (two classes of 12)."""
    w = world
    slot = group_slot(w, Slot.GroupMode.BY_PLACES)
    en.force_login(w.high_school_referent)
    url = reverse("registrations:register_group", args=[slot.pk])
    first_key, second_key = form_key(en, url), form_key(en, url)
    assert first_key != second_key
    assert said(en.post(url, {**GROUP, "submission_key": first_key}))[0] == "success"
    assert said(en.post(url, {**GROUP, "submission_key": second_key}))[0] == "success"
    assert len(groups_on(w, slot)) == 2
    # A form without its key (or with a forged one) registers too, without the repeat check.
    assert said(en.post(url, {**GROUP, "pupils_count": 3, "submission_key": "<forged>"}))[0] == "success"
    assert len(groups_on(w, slot)) == 3
    with for_site(w.site):
        assert Slot.objects.get(pk=slot.pk).group_places_taken == 27
    # Another form with no place left: refused, and said so.
    response = en.post(url, {**GROUP, "pupils_count": 8, "submission_key": form_key(en, url)})
    assert response.status_code == 400 and "Only 3 group places are left on this slot." in response.content.decode()
    assert len(groups_on(w, slot)) == 3


def test_a_form_sent_again_after_its_group_was_cancelled_registers_again(en, world):
    w = world
    slot = group_slot(w, Slot.GroupMode.BY_PLACES)
    en.force_login(w.high_school_referent)
    url = reverse("registrations:register_group", args=[slot.pk])
    data = {**GROUP, "submission_key": form_key(en, url)}
    en.post(url, data)
    (group,) = groups_on(w, slot)
    en.post(reverse("registrations:cancel_group", args=[group.pk]))
    assert said(en.post(url, data))[0] == "success"
    assert len(groups_on(w, slot)) == 1 and groups_on(w, slot)[0].pk != group.pk


def test_cancelling_a_group_twice(en, world):
    w = world
    slot = group_slot(w, Slot.GroupMode.BY_PLACES)
    en.force_login(w.high_school_referent)
    en.post(reverse("registrations:register_group", args=[slot.pk]), GROUP)
    (group,) = groups_on(w, slot)
    url = reverse("registrations:cancel_group", args=[group.pk])
    assert said(en.post(url))[0] == "success"
    assert said(en.post(url)) == ("info", "This group registration was already cancelled.")
    with for_site(w.site):
        assert Slot.objects.get(pk=slot.pk).group_places_taken == 0
