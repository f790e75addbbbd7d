"""Cancelling registrations: by the registrant (with the rules), by managers (single or batch)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import override

from apps.catalogue.models import Slot
from apps.records.models import PupilRecord
from apps.referentials.models import CancellationReason
from apps.registrations.models import Registration, Status
from apps.registrations.rules import usable_reasons
from apps.registrations.services import CancellationRefused, cancel_registration, cancel_registrations


def test_cancelling_frees_the_place_once_and_tells_the_person(in_site, django_capture_on_commit_callbacks):
    w = in_site
    with django_capture_on_commit_callbacks(execute=True):
        assert cancel_registration(w.registration, by=w.pupil, check=True)
        assert not cancel_registration(w.registration, by=w.pupil, check=True)
    w.registration.refresh_from_db()
    assert w.registration.status == Status.CANCELLED
    assert w.registration.cancelled_at is not None and w.registration.cancelled_by == w.pupil
    assert Slot.objects.get(pk=w.slot.pk).individual_places_taken == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [w.pupil.email]
    assert w.course.label in mail.outbox[0].subject


def test_the_reason_is_kept(in_site):
    w = in_site
    reason = CancellationReason.objects.create(site=w.site, label="Malade", usable_by_managers=False)
    CancellationReason.objects.create(site=w.site, label="Erreur de saisie", usable_by_registrants=False)
    assert list(usable_reasons("registrant", w.site)) == [reason]
    assert [r.label for r in usable_reasons("manager", w.site)] == ["Erreur de saisie"]
    cancel_registration(w.registration, by=w.pupil, reason=reason, check=True)
    w.registration.refresh_from_db()
    assert w.registration.cancellation_reason == reason


@pytest.mark.parametrize("who", ["other_pupil", "host_high_school_referent", "speaker", "consultant"])
def test_others_may_not_cancel(in_site, who):
    w = in_site
    with pytest.raises(CancellationRefused):
        cancel_registration(w.registration, by=getattr(w, who), check=True)
    assert Registration.objects.get(pk=w.registration.pk).status == Status.ACTIVE
    assert Slot.objects.get(pk=w.slot.pk).individual_places_taken == 1


def test_after_the_deadline_only_managers_cancel_and_organisers_are_told(in_site, django_capture_on_commit_callbacks):
    w = in_site
    past = timezone.now() - dt.timedelta(minutes=1)
    Slot.objects.filter(pk=w.slot.pk).update(registration_deadline=past, cancellation_deadline=past)
    PupilRecord.objects.filter(pk=w.pupil_record.pk).update(consent_high_school_sees_immersions=True)
    for who in (w.pupil, w.high_school_referent):
        with override("en"), pytest.raises(CancellationRefused) as refused:
            cancel_registration(w.registration, by=who, check=True)
        assert "closed" in str(refused.value)
    with django_capture_on_commit_callbacks(execute=True):
        assert cancel_registration(w.registration, by=w.structure_referent, check=True)
    recipients = sorted(address for m in mail.outbox for address in m.to)
    # The person, the speaker and the structure referent (registrations had closed).
    assert recipients == sorted([w.pupil.email, w.speaker.email, w.structure_referent.email])


def test_a_cancellation_before_registrations_close_does_not_disturb_the_organisers(
    in_site, django_capture_on_commit_callbacks
):
    w = in_site
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(w.registration, by=w.pupil, check=True)
    assert [m.to for m in mail.outbox] == [[w.pupil.email]]


def test_a_high_school_referent_cancels_their_pupil_who_shares_their_immersions(in_site):
    w = in_site
    with pytest.raises(CancellationRefused):  # a registration the referent may not see
        cancel_registration(w.registration, by=w.high_school_referent, check=True)
    PupilRecord.objects.filter(pk=w.pupil_record.pk).update(consent_high_school_sees_immersions=True)
    assert cancel_registration(w.registration, by=w.high_school_referent, check=True)


def test_batch_is_all_or_nothing(in_site):
    w = in_site
    registrations = [w.registration, w.other_registration]
    # A structure referent of w.structure does not manage w.other_slot (another structure).
    cancelled, problems = cancel_registrations(registrations, by=w.structure_referent)
    assert cancelled == 0 and len(problems) == 1
    assert Registration.objects.filter(pk__in=[r.pk for r in registrations], status=Status.ACTIVE).count() == 2
    assert Slot.objects.get(pk=w.slot.pk).individual_places_taken == 1
    cancelled, problems = cancel_registrations(registrations, by=w.master_referent)
    assert (cancelled, problems) == (2, [])
    assert Slot.objects.filter(pk__in=[w.slot.pk, w.other_slot.pk], individual_places_taken=0).count() == 2
