"""The demo pupil's immersions: every section of "my immersions" has something to show."""

from django.db.models import Count, F, Q
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import Slot
from apps.demo.builders.immersions import PAST_NOTE
from apps.registrations import selectors
from apps.registrations.models import Attendance, CourseAlert, Registration, Status, WaitingListEntry, WaitingStatus
from apps.tenancy.scoping import for_site


def test_my_immersions_has_every_section_for_the_demo_pupil(demo, db):
    with for_site(demo.one):
        pupil = User.objects.get(email="pupil@demo.immersup.test")
        mine = selectors.my_immersions(demo.one, pupil)
        assert len(mine.upcoming) >= 2
        assert any(r.can_cancel for r in mine.upcoming)
        assert {r.attendance for r in mine.past} == {Attendance.PRESENT, Attendance.REMOTE, Attendance.ABSENT}
        assert sum(r.has_certificate for r in mine.past) == 2
        assert len(mine.cancelled) == 1 and mine.cancelled[0].cancellation_reason is not None
        assert [e.position for e in mine.waiting] == [2]
        assert len(mine.offers) == 1 and mine.offers[0].offer_expires_at > timezone.now()
        assert len(mine.alerts) == 1


def test_the_waiting_lists_come_from_the_engine(demo, db):
    with for_site(demo.one):
        pupil = User.objects.get(email="pupil@demo.immersup.test")
        waiting = WaitingListEntry.objects.get(person=pupil, status=WaitingStatus.WAITING)
        slot = waiting.slot
        assert slot.individual_places_taken == slot.individual_places  # full
        line = list(WaitingListEntry.objects.filter(slot=slot, status=WaitingStatus.WAITING))
        assert line[-1] == waiting and len(line) == 2
        offered = WaitingListEntry.objects.get(person=pupil, status=WaitingStatus.OFFERED)
        # The place held for the pupil is the one freed by a cancelled registrant.
        freed = offered.slot
        assert freed.individual_places_taken == freed.individual_places - 1
        assert Registration.objects.filter(slot=freed, status=Status.CANCELLED).exclude(person=pupil).count() == 1


def test_past_immersions_keep_the_counters_true(demo, db):
    with for_site(demo.one):
        past = Slot.objects.filter(additional_information=PAST_NOTE)
        assert past.count() == 3
        assert all(slot.date < timezone.localdate() for slot in past)
        counted = past.annotate(active=Count("registrations", filter=Q(registrations__status=Status.ACTIVE)))
        assert not counted.exclude(active=F("individual_places_taken")).exists()
        recorded = Registration.objects.filter(slot__in=past)
        assert not recorded.filter(attendance=Attendance.NOT_ENTERED).exists()
        assert not recorded.filter(attendance_recorded_at__isnull=True).exists()
        assert CourseAlert.objects.filter(person__email="pupil@demo.immersup.test").count() == 1


def test_site_two_pupil_has_immersions_too(demo, db):
    with for_site(demo.two):
        pupil = User.objects.get(email="pupil@site2.immersup.test")
        mine = selectors.my_immersions(demo.two, pupil)
        assert mine.past and mine.alerts
