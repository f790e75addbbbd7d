"""Invariants the database itself enforces, whatever code path writes."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.academic_calendar.models import Period
from apps.accounts.models import Role, RoleAssignment
from apps.catalogue.models import Slot, Training
from apps.organisations.models import Establishment, HighSchool
from apps.registrations.models import Registration, Status


def _violates(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_capacity_can_never_be_exceeded(in_site):
    w = in_site
    Slot.objects.filter(pk=w.slot.pk).update(individual_places_taken=10)
    slot = Slot.objects.filter(pk=w.slot.pk)
    _violates(lambda: slot.update(individual_places_taken=F("individual_places_taken") + 1))
    _violates(lambda: Slot.objects.filter(pk=w.slot.pk).update(individual_places=9))


def test_one_active_registration_per_person_and_slot(in_site):
    w = in_site
    _violates(lambda: Registration.objects.create(site=w.site, slot=w.slot, person=w.pupil))
    Registration.objects.filter(pk=w.registration.pk).update(status=Status.CANCELLED, cancelled_at=timezone.now())
    Registration.objects.create(site=w.site, slot=w.slot, person=w.pupil)  # registering again after cancelling
    _violates(
        lambda: Registration.objects.filter(slot=w.slot, status=Status.ACTIVE).update(
            cancelled_at=None, status=Status.CANCELLED
        )
    )


def test_one_master_establishment_per_site(in_site, other_world):
    w = in_site
    _violates(lambda: Establishment.objects.create(site=w.site, is_master=True, code="M2", label="Second master"))


def test_slot_shape(in_site):
    w = in_site
    base = dict(site=w.site, period=w.period, date=timezone.localdate(), start_time=dt.time(10), end_time=dt.time(12))
    _violates(lambda: Slot.objects.create(**base, course=w.course, event=w.event, campus=w.campus))
    _violates(lambda: Slot.objects.create(**base, campus=w.campus))
    _violates(lambda: Slot.objects.create(**{**base, "end_time": dt.time(9)}, course=w.course, campus=w.campus))
    _violates(lambda: Slot.objects.create(**base, course=w.course, place=Slot.Place.ON_SITE))
    _violates(lambda: Slot.objects.create(**base, course=w.course, place=Slot.Place.REMOTE))
    Slot.objects.create(**base, course=w.course, place=Slot.Place.REMOTE, remote_url="https://visio.example.org/x")


def test_role_is_attached_to_what_it_needs(in_site):
    w = in_site
    _violates(lambda: RoleAssignment.objects.create(site=w.site, user=w.pupil, role=Role.STRUCTURE_REFERENT))
    _violates(
        lambda: RoleAssignment.objects.create(
            site=w.site, user=w.pupil, role=Role.MASTER_REFERENT, establishment=w.master
        )
    )
    _violates(lambda: RoleAssignment.objects.create(site=w.site, user=w.pupil, role=Role.PUPIL))  # already held
    RoleAssignment.objects.create(site=w.site, user=w.pupil, role=Role.SPEAKER, high_school=w.host_high_school)


def test_dates_are_ordered(in_site):
    w = in_site
    now = timezone.now()
    _violates(
        lambda: Period.objects.create(
            site=w.site,
            year=w.year,
            label="Inversée",
            registration_start=now,
            registration_end=now - dt.timedelta(1),
            immersion_start=w.year.start_date,
            immersion_end=w.year.start_date,
        )
    )
    _violates(
        lambda: HighSchool.objects.create(
            site=w.site, uai="0670009Z", label="L", city="C", agreement_end=timezone.localdate()
        )
    )
    _violates(lambda: Training.objects.create(site=w.site, label="Sans propriétaire"))


def test_uniqueness_is_per_site(in_site, other_world):
    w = in_site
    # The same UAI may be a partner of two sites, but only once per site.
    _violates(lambda: HighSchool.objects.create(site=w.site, uai=w.high_school.uai, label="Doublon", city="X"))
    assert w.high_school.uai == other_world.high_school.uai
