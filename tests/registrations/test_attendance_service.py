"""Attendance: only once the slot has started, only the slot's own registrations, all or nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import override

from apps.catalogue.models import Slot
from apps.registrations.attendance import attendance_problem, mark_all_present, record_attendance
from apps.registrations.models import Attendance, Registration
from tests.factories import make_slot, make_user


def past_slot(w, **fields):
    slot = make_slot(w, w.course, days=-1, **fields)
    slot.speakers.add(w.speaker)
    people = [make_user() for _ in range(3)]
    registrations = [Registration.objects.create(site=w.site, slot=slot, person=p) for p in people]
    Slot.objects.filter(pk=slot.pk).update(individual_places_taken=len(people))
    return slot, registrations


def values(registrations):
    return [Registration.objects.get(pk=r.pk).attendance for r in registrations]


def test_before_the_start_attendance_is_refused(in_site):
    w = in_site
    with override("en"):
        problem = attendance_problem(w.slot, by=w.speaker, site=w.site)
    assert problem == "Attendance can be entered once the slot has started."
    with pytest.raises(PermissionDenied):
        record_attendance(w.slot, {w.registration.pk: Attendance.PRESENT}, by=w.speaker, site=w.site)
    assert Registration.objects.get(pk=w.registration.pk).attendance == Attendance.NOT_ENTERED


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("speaker", True),
        ("structure_referent", True),
        ("establishment_referent", True),
        ("master_referent", True),
        ("consultant", False),
        ("host_referent", False),
        ("high_school_referent", False),
        ("pupil", False),
    ],
)
def test_who_records_attendance(in_site, who, allowed):
    w = in_site
    slot, registrations = past_slot(w)
    by = getattr(w, who)
    assert (attendance_problem(slot, by=by, site=w.site) is None) is allowed
    if allowed:
        assert record_attendance(slot, {registrations[0].pk: Attendance.ABSENT}, by=by, site=w.site) == 1
        saved = Registration.objects.get(pk=registrations[0].pk)
        assert saved.attendance == Attendance.ABSENT and saved.attendance_recorded_by == by
        assert saved.attendance_recorded_at is not None and not saved.attended
    else:
        with pytest.raises(PermissionDenied):
            record_attendance(slot, {registrations[0].pk: Attendance.ABSENT}, by=by, site=w.site)
        assert values(registrations)[0] == Attendance.NOT_ENTERED


def test_ids_of_another_slot_save_nothing(in_site):
    w = in_site
    slot, registrations = past_slot(w)
    _other, elsewhere = past_slot(w)
    mixed = {registrations[0].pk: Attendance.PRESENT, elsewhere[0].pk: Attendance.PRESENT}
    with pytest.raises(ValidationError):
        record_attendance(slot, mixed, by=w.speaker, site=w.site)
    assert values(registrations + elsewhere) == [Attendance.NOT_ENTERED] * 6
    with pytest.raises(ValidationError):
        record_attendance(slot, {registrations[0].pk: "maybe"}, by=w.speaker, site=w.site)
    with pytest.raises(ValidationError):
        record_attendance(slot, {"not-an-id": Attendance.PRESENT}, by=w.speaker, site=w.site)
    assert values(registrations) == [Attendance.NOT_ENTERED] * 3


def test_cancelled_registrations_take_no_attendance(in_site):
    w = in_site
    slot, registrations = past_slot(w)
    Registration.objects.filter(pk=registrations[0].pk).update(status="cancelled", cancelled_at=timezone.now())
    with pytest.raises(ValidationError):
        record_attendance(slot, {registrations[0].pk: Attendance.PRESENT}, by=w.speaker, site=w.site)


def test_mark_all_present_keeps_what_was_entered(in_site):
    w = in_site
    slot, registrations = past_slot(w)
    record_attendance(slot, {registrations[0].pk: Attendance.ABSENT}, by=w.speaker, site=w.site)
    assert mark_all_present(slot, by=w.speaker, site=w.site) == 2
    assert values(registrations) == [Attendance.ABSENT, Attendance.PRESENT, Attendance.PRESENT]
    assert mark_all_present(slot, by=w.speaker, site=w.site) == 0
    assert all(Registration.objects.get(pk=r.pk).attended for r in registrations[1:])
    # Back to "not recorded" clears who recorded it.
    record_attendance(slot, {registrations[1].pk: Attendance.NOT_ENTERED}, by=w.speaker, site=w.site)
    cleared = Registration.objects.get(pk=registrations[1].pk)
    assert cleared.attendance_recorded_by is None and cleared.attendance_recorded_at is None


def test_mark_all_present_on_a_remote_slot(in_site):
    w = in_site
    slot, registrations = past_slot(w, place=Slot.Place.REMOTE, remote_url="https://visio.example/room")
    assert mark_all_present(slot, by=w.structure_referent, site=w.site) == 3
    assert values(registrations) == [Attendance.REMOTE] * 3
    assert all(Registration.objects.get(pk=r.pk).attended for r in registrations)


def test_a_cancelled_slot_takes_no_attendance(in_site):
    w = in_site
    slot, _registrations = past_slot(w, cancelled_at=timezone.now() - dt.timedelta(days=2))
    assert attendance_problem(slot, by=w.master_referent, site=w.site)
    with pytest.raises(PermissionDenied):
        mark_all_present(slot, by=w.master_referent, site=w.site)
