from django.core import mail

from apps.catalogue.models import Slot
from apps.registrations.models import Status
from apps.registrations.services import cancel_registration


def test_cancelling_frees_the_place_once_and_tells_the_person(in_site, django_capture_on_commit_callbacks):
    w = in_site
    Slot.objects.filter(pk=w.slot.pk).update(individual_places_taken=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert cancel_registration(w.registration, by=w.pupil)
        assert not cancel_registration(w.registration, by=w.pupil)
    w.registration.refresh_from_db()
    assert w.registration.status == Status.CANCELLED
    assert w.registration.cancelled_at is not None
    assert Slot.objects.get(pk=w.slot.pk).individual_places_taken == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [w.pupil.email]
    assert w.course.label in mail.outbox[0].subject
