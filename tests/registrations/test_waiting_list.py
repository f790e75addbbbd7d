"""The waiting list: strict order, offers with a deadline, nobody promoted twice; course alerts."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from apps.catalogue import offer_services
from apps.catalogue.models import Slot
from apps.records.models import PupilRecord, RecordStatus
from apps.registrations.models import CourseAlert, Registration, Status, WaitingListEntry, WaitingStatus
from apps.registrations.rules import Code
from apps.registrations.services import (
    RegistrationRefused,
    add_course_alert,
    cancel_registration,
    claim_offer,
    join_waiting_list,
    leave_waiting_list,
    process_waiting_lists,
    register,
    remove_course_alert,
    waiting_position,
)
from apps.registrations.slot_services import cancel_slot, create_slot, update_slot
from apps.tenancy.models import Site
from tests.factories import make_pupil, make_slot

new_pupil = make_pupil


def full_slot(w, places=1, **fields):
    """A slot whose places are all taken, with the people holding them."""
    slot = make_slot(w, w.course, days=10, individual_places=places, **fields)
    holders = [new_pupil(w) for _ in range(places)]
    registrations = [register(slot, person, by=person) for person in holders]
    return slot, registrations


def line(w, slot, count):
    people = [new_pupil(w) for _ in range(count)]
    entries = [join_waiting_list(slot, person, by=person) for person in people]
    return people, entries


def statuses(entries):
    return [WaitingListEntry.objects.get(pk=e.pk).status for e in entries]


def set_site(w, **values):
    Site.objects.filter(pk=w.site.pk).update(**values)


# --- Joining -------------------------------------------------------------------------------------------------


def test_join_only_when_full(in_site, django_capture_on_commit_callbacks):
    w = in_site
    free = make_slot(w, w.course, days=10, individual_places=2)
    pupil = new_pupil(w)
    with pytest.raises(RegistrationRefused) as refused:
        join_waiting_list(free, pupil, by=pupil)
    assert refused.value.decision.codes == ["not_full"]
    slot, _held = full_slot(w)
    with django_capture_on_commit_callbacks(execute=True):
        entry = join_waiting_list(slot, pupil, by=pupil)
    assert entry.status == WaitingStatus.WAITING and waiting_position(entry) == 1
    assert [m.to for m in mail.outbox] == [[pupil.email]]
    with pytest.raises(RegistrationRefused) as refused:
        join_waiting_list(slot, pupil, by=pupil)
    assert refused.value.decision.codes == ["already_waiting"]
    # Full and not eligible: the line would not help.
    with pytest.raises(RegistrationRefused) as refused:
        join_waiting_list(slot, w.other_pupil, by=w.other_pupil)
    assert Code.RECORD_NOT_VALIDATED in refused.value.decision.codes
    # Someone else may not put a pupil in line.
    with pytest.raises(RegistrationRefused):
        join_waiting_list(slot, new_pupil(w), by=w.high_school_referent)
    set_site(w, waiting_list_enabled=False)
    with pytest.raises(RegistrationRefused) as refused:
        join_waiting_list(slot, new_pupil(w), by=pupil)
    assert WaitingListEntry.objects.filter(slot=slot).count() == 1


def test_positions_follow_the_order_of_arrival(in_site):
    w = in_site
    slot, _held = full_slot(w)
    _people, entries = line(w, slot, 3)
    assert [waiting_position(e) for e in entries] == [1, 2, 3]
    leave_waiting_list(entries[0], by=entries[0].person)
    assert [waiting_position(e) for e in entries[1:]] == [1, 2]


# --- Offers ---------------------------------------------------------------------------------------------------


def test_a_freed_place_is_offered_to_the_first_in_line(in_site, django_capture_on_commit_callbacks):
    w = in_site
    slot, held = full_slot(w)
    people, entries = line(w, slot, 3)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(held[0], by=held[0].person)
    assert statuses(entries) == [WaitingStatus.OFFERED, WaitingStatus.WAITING, WaitingStatus.WAITING]
    offered = WaitingListEntry.objects.get(pk=entries[0].pk)
    expected = before + dt.timedelta(hours=24)
    assert abs((offered.offer_expires_at - expected).total_seconds()) < 60
    assert people[0].email in [m.to[0] for m in mail.outbox]
    # The place is held: newcomers and the others in line cannot take it.
    newcomer = new_pupil(w)
    with pytest.raises(RegistrationRefused) as refused:
        register(slot, newcomer, by=newcomer)
    assert refused.value.decision.codes == [Code.FULL]
    with pytest.raises(RegistrationRefused):
        register(slot, people[1], by=people[1])
    # The first claims it in time.
    registration = claim_offer(offered, by=people[0])
    assert registration.from_waiting_list and registration.status == Status.ACTIVE
    assert statuses(entries)[0] == WaitingStatus.PROMOTED
    assert Slot.objects.get(pk=slot.pk).individual_places_taken == 1
    # Nobody promoted twice: claiming again answers with the registration made.
    assert claim_offer(offered, by=people[0]) == registration
    assert Registration.objects.filter(slot=slot, person=people[0]).count() == 1
    assert Slot.objects.get(pk=slot.pk).individual_places_taken == 1
    # Once the registration is cancelled, the used offer is no way back in.
    cancel_registration(registration, by=people[0])
    with pytest.raises(RegistrationRefused) as refused:
        claim_offer(offered, by=people[0])
    assert refused.value.decision.codes == ["offer_expired"]


def test_the_claim_deadline_is_the_site_setting_and_never_after_the_start(in_site):
    w = in_site
    set_site(w, waiting_list_claim_hours=2)
    slot, held = full_slot(w)
    _people, entries = line(w, slot, 1)
    cancel_registration(held[0], by=held[0].person)
    offered = WaitingListEntry.objects.get(pk=entries[0].pk)
    assert abs((offered.offer_expires_at - timezone.now() - dt.timedelta(hours=2)).total_seconds()) < 60
    set_site(w, waiting_list_claim_hours=24 * 30)
    slot, held = full_slot(w)
    _people, entries = line(w, slot, 1)
    cancel_registration(held[0], by=held[0].person)
    from apps.catalogue.selectors import slot_start

    assert WaitingListEntry.objects.get(pk=entries[0].pk).offer_expires_at == slot_start(slot)


def test_no_claim_time_registers_the_first_directly(in_site, django_capture_on_commit_callbacks):
    w = in_site
    set_site(w, waiting_list_claim_hours=0)
    slot, held = full_slot(w)
    people, entries = line(w, slot, 2)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(held[0], by=held[0].person)
    assert statuses(entries) == [WaitingStatus.PROMOTED, WaitingStatus.WAITING]
    registration = Registration.objects.get(slot=slot, person=people[0], status=Status.ACTIVE)
    assert registration.from_waiting_list
    assert WaitingListEntry.objects.get(pk=entries[0].pk).registration == registration
    assert Slot.objects.get(pk=slot.pk).individual_places_taken == 1
    assert people[0].email in [m.to[0] for m in mail.outbox]


def test_an_expired_offer_is_refused_and_the_place_goes_to_the_next(in_site):
    w = in_site
    slot, held = full_slot(w)
    people, entries = line(w, slot, 2)
    cancel_registration(held[0], by=held[0].person)
    WaitingListEntry.objects.filter(pk=entries[0].pk).update(offer_expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(RegistrationRefused) as refused:
        claim_offer(entries[0], by=people[0])
    assert refused.value.decision.codes == ["offer_expired"]
    assert process_waiting_lists() == 1
    assert statuses(entries) == [WaitingStatus.EXPIRED, WaitingStatus.OFFERED]
    assert process_waiting_lists() == 0  # idempotent
    assert statuses(entries) == [WaitingStatus.EXPIRED, WaitingStatus.OFFERED]
    assert claim_offer(entries[1], by=people[1]).person == people[1]
    assert Registration.objects.filter(slot=slot, person=people[0]).count() == 0


def test_an_expired_offer_passes_on_at_the_next_registration_attempt(in_site):
    w = in_site
    slot, held = full_slot(w)
    _people, entries = line(w, slot, 2)
    cancel_registration(held[0], by=held[0].person)
    WaitingListEntry.objects.filter(pk=entries[0].pk).update(offer_expires_at=timezone.now() - dt.timedelta(seconds=1))
    newcomer = new_pupil(w)
    with pytest.raises(RegistrationRefused):
        register(slot, newcomer, by=newcomer)
    assert statuses(entries) == [WaitingStatus.EXPIRED, WaitingStatus.OFFERED]


def test_an_ineligible_first_in_line_is_passed_over(in_site):
    w = in_site
    slot, held = full_slot(w)
    people, entries = line(w, slot, 2)
    PupilRecord.objects.filter(user=people[0]).update(status=RecordStatus.TO_VALIDATE)
    cancel_registration(held[0], by=held[0].person)
    first = WaitingListEntry.objects.get(pk=entries[0].pk)
    assert first.status == WaitingStatus.SKIPPED and first.skip_reason == Code.RECORD_NOT_VALIDATED
    assert statuses(entries)[1] == WaitingStatus.OFFERED


def test_a_person_registered_elsewhere_at_the_same_time_is_passed_over(in_site):
    w = in_site
    set_site(w, waiting_list_claim_hours=0)
    slot, held = full_slot(w)
    people, entries = line(w, slot, 2)
    register(w.other_slot.__class__.objects.get(pk=make_slot(w, w.other_course, days=10).pk), people[0], by=people[0])
    cancel_registration(held[0], by=held[0].person)
    assert statuses(entries) == [WaitingStatus.SKIPPED, WaitingStatus.PROMOTED]
    assert WaitingListEntry.objects.get(pk=entries[0].pk).skip_reason == Code.OVERLAP


def test_leaving_or_declining_passes_the_place_on(in_site):
    w = in_site
    slot, held = full_slot(w)
    people, entries = line(w, slot, 3)
    assert leave_waiting_list(entries[1], by=people[1])
    assert not leave_waiting_list(entries[1], by=people[1])
    cancel_registration(held[0], by=held[0].person)
    assert statuses(entries) == [WaitingStatus.OFFERED, WaitingStatus.WITHDRAWN, WaitingStatus.WAITING]
    # Declining the offer (the stale object still says "waiting"): the next one is offered it.
    assert leave_waiting_list(entries[0], by=people[0])
    assert statuses(entries) == [WaitingStatus.WITHDRAWN, WaitingStatus.WITHDRAWN, WaitingStatus.OFFERED]


def test_newcomers_cannot_jump_the_line(in_site):
    w = in_site
    slot, _held = full_slot(w)
    _people, entries = line(w, slot, 1)
    # A place appears without the line being served yet (e.g. a change made outside the services).
    Slot.objects.filter(pk=slot.pk).update(individual_places=2)
    newcomer = new_pupil(w)
    with pytest.raises(RegistrationRefused) as refused:
        register(slot, newcomer, by=newcomer)
    assert refused.value.decision.codes == [Code.FULL]
    assert refused.value.decision.may_join_waiting_list
    assert process_waiting_lists() == 1
    assert statuses(entries) == [WaitingStatus.OFFERED]
    assert process_waiting_lists() == 0


def test_more_places_fill_from_the_line(in_site):
    w = in_site
    slot, _held = full_slot(w)
    _people, entries = line(w, slot, 3)
    update_slot(slot, {"individual_places": 3})
    assert statuses(entries) == [WaitingStatus.OFFERED, WaitingStatus.OFFERED, WaitingStatus.WAITING]


def test_cancelling_the_slot_closes_the_line(in_site):
    w = in_site
    slot, held = full_slot(w, places=2)
    _people, entries = line(w, slot, 2)
    cancel_registration(held[0], by=held[0].person)
    cancel_slot(slot, "Intervenant absent", by=w.structure_referent)
    assert statuses(entries) == [WaitingStatus.WITHDRAWN, WaitingStatus.WITHDRAWN]
    assert process_waiting_lists() == 0
    assert Registration.objects.filter(slot=slot, status=Status.ACTIVE).count() == 0


def test_process_waiting_lists_ignores_other_sites(in_site, other_world):
    w = in_site
    slot, _held = full_slot(w)
    _people, entries = line(w, slot, 1)
    Slot.objects.filter(pk=slot.pk).update(individual_places=2)
    assert process_waiting_lists(site=other_world.site) == 0
    assert statuses(entries) == [WaitingStatus.WAITING]
    assert process_waiting_lists(site=w.site) == 1


# --- Course alerts -----------------------------------------------------------------------------------------------


def test_course_alert_is_sent_once_when_a_slot_is_published(in_site, django_capture_on_commit_callbacks):
    w = in_site
    pupil = new_pupil(w)
    alert = add_course_alert(w.course, pupil)
    assert add_course_alert(w.course, pupil) == alert
    add_course_alert(w.other_course, pupil)
    draft = make_slot(w, w.course, days=20, published=False)
    with django_capture_on_commit_callbacks(execute=True):
        update_slot(draft, {"published": True})
        update_slot(draft, {"room": "B202"})
        create_slot(
            Slot(
                site=w.site,
                course=w.course,
                course_type=w.course_type,
                period=w.period,
                date=timezone.localdate() + dt.timedelta(days=21),
                start_time=dt.time(14),
                end_time=dt.time(16),
                campus=w.campus,
                building=w.building,
                room="A1",
                individual_places=5,
                published=True,
            )
        )
    assert [m.to for m in mail.outbox] == [[pupil.email]]
    assert CourseAlert.objects.get(pk=alert.pk).notified_at is not None
    assert CourseAlert.objects.filter(course=w.other_course, notified_at__isnull=True).count() == 1
    # A new alert may be set after the first was sent; and removed.
    assert add_course_alert(w.course, pupil) != alert
    assert remove_course_alert(w.course, pupil)
    assert not remove_course_alert(w.course, pupil)


def test_publishing_a_course_answers_its_alerts(in_site, django_capture_on_commit_callbacks):
    """The catalogue's set_published reaches the engine through apps.catalogue.hooks: a course
    published with a published upcoming slot tells the people waiting for one, once."""
    w = in_site
    pupil = new_pupil(w)
    alert = add_course_alert(w.course, pupil)
    offer_services.set_published(w.master_referent, w.site, w.course, False)
    with django_capture_on_commit_callbacks(execute=True):
        offer_services.set_published(w.master_referent, w.site, w.course, True)
        offer_services.set_published(w.master_referent, w.site, w.course, True)  # already published: nothing
    assert [m.to for m in mail.outbox] == [[pupil.email]]
    assert CourseAlert.objects.get(pk=alert.pk).notified_at is not None
