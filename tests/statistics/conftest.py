import pytest
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.records.models import PupilRecord
from apps.registrations.models import Attendance, Registration, Status
from apps.tenancy.scoping import for_site
from tests.browser.conftest import (  # noqa: F401 (the browser tests' fixtures: Debian's chromium, live_world, axe)
    axe,
    browser_context_args,
    browser_type_launch_args,
    live_world,
)


@pytest.fixture
def data(world):
    """A known dataset on the first site.

    Active registrations: the pupil on ``slot`` (Sciences, present), the other pupil on ``other_slot``
    (Lettres, not recorded), the student on ``host_slot`` (the host establishment, present), the
    visitor on ``event_slot`` (the master establishment's event, absent). Cancelled: the student on ``slot``.
    The pupil shares their immersions with their high school; the other pupil does not.
    """
    w = world
    with for_site(w.site):
        Registration.objects.filter(pk=w.registration.pk).update(attendance=Attendance.PRESENT)
        w.student_registration = Registration.objects.create(
            site=w.site, slot=w.host_slot, person=w.student, attendance=Attendance.PRESENT
        )
        w.visitor_registration = Registration.objects.create(
            site=w.site, slot=w.event_slot, person=w.visitor, attendance=Attendance.ABSENT
        )
        w.cancelled_registration = Registration.objects.create(
            site=w.site, slot=w.slot, person=w.student, status=Status.CANCELLED, cancelled_at=timezone.now()
        )
        PupilRecord.objects.filter(pk=w.pupil_record.pk).update(consent_high_school_sees_immersions=True)
        Slot.objects.filter(pk=w.host_slot.pk).update(individual_places_taken=1)
        Slot.objects.filter(pk=w.event_slot.pk).update(individual_places_taken=1)
    return w
