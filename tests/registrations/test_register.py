"""The write path: ``services.register`` and the places counter kept true by every service."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.registrations.models import Registration, Status, WaitingListEntry, WaitingStatus
from apps.registrations.rules import Code
from apps.registrations.services import (
    RegistrationRefused,
    cancel_registration,
    cancel_registrations,
    claim_offer,
    join_waiting_list,
    leave_waiting_list,
    process_waiting_lists,
    register,
)
from apps.registrations.slot_services import cancel_slot, update_slot
from tests.factories import make_pupil, make_slot

new_pupil = make_pupil


def assert_counters_true(site):
    """Every slot's counter equals its active registrations."""
    slots = Slot.objects.filter(site=site).annotate(
        active=Count("registrations", filter=Q(registrations__status=Status.ACTIVE))
    )
    wrong = [(s.pk, s.individual_places_taken, s.active) for s in slots if s.individual_places_taken != s.active]
    assert wrong == []
    assert all(s.individual_places_taken <= s.individual_places for s in slots)


def test_registering_takes_a_place_and_confirms(in_site, django_capture_on_commit_callbacks):
    w = in_site
    pupil, slot = new_pupil(w), make_slot(w, w.course, days=10, individual_places=3)
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(slot, pupil, by=pupil)
    assert registration.status == Status.ACTIVE and registration.person == pupil and registration.site == w.site
    assert registration.registered_by == pupil and registration.overrides == [] and not registration.from_waiting_list
    assert Slot.objects.get(pk=slot.pk).individual_places_taken == 1
    assert [m.to for m in mail.outbox] == [[pupil.email]]
    assert w.course.label in mail.outbox[0].subject + mail.outbox[0].body


def test_a_refusal_says_why_and_changes_nothing(in_site, django_capture_on_commit_callbacks):
    w = in_site
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RegistrationRefused) as refused:
        register(w.other_slot, w.other_pupil, by=w.other_pupil)
    assert Code.RECORD_NOT_VALIDATED in refused.value.decision.codes
    assert refused.value.message == refused.value.decision.message == str(refused.value)
    assert Slot.objects.get(pk=w.other_slot.pk).individual_places_taken == 1
    assert Registration.objects.filter(person=w.other_pupil).count() == 1
    assert mail.outbox == []


def test_a_repeated_submission_makes_one_registration(in_site):
    w = in_site
    pupil, slot = new_pupil(w), make_slot(w, w.course, days=10)
    register(slot, pupil, by=pupil)
    with pytest.raises(RegistrationRefused) as refused:
        register(slot, pupil, by=pupil)
    assert refused.value.decision.codes == [Code.ALREADY_REGISTERED]
    assert Registration.objects.filter(slot=slot, person=pupil).count() == 1
    assert Slot.objects.get(pk=slot.pk).individual_places_taken == 1


def test_the_last_place_goes_once(in_site):
    w = in_site
    slot = make_slot(w, w.course, days=10, individual_places=1)
    first, second = new_pupil(w), new_pupil(w)
    register(slot, first, by=first)
    with pytest.raises(RegistrationRefused) as refused:
        register(slot, second, by=second)
    assert refused.value.decision.codes == [Code.FULL]
    assert refused.value.decision.may_join_waiting_list


def test_the_database_refuses_overbooking_and_double_registrations(in_site):
    """The constraints behind the locks: a path that forgot them could still not overbook."""
    w = in_site
    slot = make_slot(w, w.course, days=10, individual_places=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(individual_places_taken=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(site=w.site, slot=w.slot, person=w.pupil)


def test_a_referent_registers_their_pupil(in_site, django_capture_on_commit_callbacks):
    w = in_site
    pupil, slot = new_pupil(w), make_slot(w, w.course, days=10)
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(slot, pupil, by=w.high_school_referent)
    assert registration.registered_by == w.high_school_referent
    assert [m.to for m in mail.outbox] == [[pupil.email]]
    with pytest.raises(RegistrationRefused):
        register(make_slot(w, w.course, days=11), new_pupil(w), by=w.host_high_school_referent)


def test_counters_stay_true_after_any_sequence(in_site, django_capture_on_commit_callbacks):
    w = in_site
    site = w.site
    slot = make_slot(w, w.course, days=10, individual_places=2)
    other = make_slot(w, w.course, days=12, individual_places=1)
    a, b, c, d = (new_pupil(w) for _ in range(4))
    with django_capture_on_commit_callbacks(execute=True):
        ra = register(slot, a, by=a)
        rb = register(slot, b, by=b)
        assert_counters_true(site)
        entry_c = join_waiting_list(slot, c, by=c)
        entry_d = join_waiting_list(slot, d, by=d)
        cancel_registration(ra, by=a)  # c is offered the place
        assert_counters_true(site)
        entry_c.refresh_from_db()
        assert entry_c.status == WaitingStatus.OFFERED
        claim_offer(entry_c, by=c)
        assert_counters_true(site)
        register(other, a, by=a)
        cancel_registrations([rb], by=w.structure_referent)  # d is offered b's place
        leave_waiting_list(WaitingListEntry.objects.get(pk=entry_d.pk), by=d)  # declined: nobody left
        assert_counters_true(site)
        update_slot(slot, {"individual_places": 3})
        register(slot, b, by=b)
        assert_counters_true(site)
        assert process_waiting_lists() == 0
        cancel_slot(slot, "Salle indisponible", by=w.structure_referent)
        assert_counters_true(site)
        cancel_slot(other, "Salle indisponible", by=w.structure_referent)
    assert_counters_true(site)
    assert Registration.objects.filter(slot__in=[slot, other], status=Status.ACTIVE).count() == 0
    assert Slot.objects.get(pk=slot.pk).individual_places_taken == 0


def test_forcing_a_deadline_is_recorded(in_site):
    w = in_site
    pupil = new_pupil(w)
    slot = make_slot(w, w.course, days=10, registration_deadline=timezone.now() - dt.timedelta(hours=2))
    with pytest.raises(RegistrationRefused) as refused:
        register(slot, pupil, by=pupil, force=[Code.DEADLINE_PASSED])  # a pupil cannot force
    assert refused.value.decision.codes == [Code.DEADLINE_PASSED]
    registration = register(slot, pupil, by=w.structure_referent, force=[Code.DEADLINE_PASSED])
    assert registration.overrides == [Code.DEADLINE_PASSED]


def test_registering_leaves_the_waiting_list(in_site):
    w = in_site
    slot = make_slot(w, w.course, days=10, individual_places=1)
    first, waiting = new_pupil(w), new_pupil(w)
    registration = register(slot, first, by=first)
    entry = join_waiting_list(slot, waiting, by=waiting)
    # The place is freed while nobody waits in front: the waiting person is offered it;
    # registering directly uses the offer (it must not hold a second place).
    cancel_registration(registration, by=first)
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.OFFERED
    registration = register(slot, waiting, by=waiting)
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.PROMOTED and entry.registration == registration
    assert registration.from_waiting_list
    assert_counters_true(w.site)
    update_slot(slot, {"individual_places": 2})
    third = new_pupil(w)
    assert register(slot, third, by=third).status == Status.ACTIVE
