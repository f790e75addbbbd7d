"""Documents: warned before they expire; coming registrations cancelled once a mandatory one has expired."""

import pytest
from django.core import mail
from django.utils import timezone

from apps.attestations.models import Attestation, AttestationType
from apps.catalogue.models import Slot
from apps.jobs import services
from apps.notifications.models import OutgoingMessage
from apps.referentials.models import CancellationReason
from apps.registrations.models import Registration, Status, WaitingListEntry, WaitingStatus
from apps.tenancy.scoping import for_site

from .conftest import at, day, registered, run

pytestmark = pytest.mark.django_db


def _insurance(site, label="Insurance certificate", **flags):
    return AttestationType.objects.create(
        site=site,
        label=label,
        for_pupils_with_agreement=True,
        requires_validity_date=True,
        **flags,
    )


def _document(w, user, kind, valid_until, archived=False):
    return Attestation.objects.create(
        site=w.site,
        user=user,
        attestation_type=kind,
        file="attestations/test.pdf",
        original_name="insurance.pdf",
        content_type="application/pdf",
        size=1,
        validity_date=valid_until,
        archived_at=timezone.now() if archived else None,
    )


def _keys(key):
    return sorted(OutgoingMessage.objects.filter(key=key).values_list("recipient", flat=True))


def test_owners_are_warned_once_before_their_document_expires(in_site):
    w = in_site
    kind = _insurance(w.site)
    soon = _document(w, w.pupil, kind, day(10))
    _document(w, w.other_pupil, kind, day(40))  # not yet
    archived_owner = registered(w, days=8).person
    _document(w, archived_owner, kind, day(5), archived=True)  # replaced: ignored
    _document(w, archived_owner, kind, day(200))
    expired_owner = registered(w, days=9).person
    _document(w, expired_owner, kind, day(-1))  # already expired: the cancellation's business
    assert run(services.document_expiry_warnings, at(day(0)), w.site) == {"due": 1, "sent": 1}
    assert run(services.document_expiry_warnings, at(day(1)), w.site) == {"due": 1, "sent": 0}
    assert _keys("document_expiry_warning") == [w.pupil.email]
    (message,) = mail.outbox
    assert "Insurance certificate" in message.subject and "/documents/" in message.body
    assert OutgoingMessage.objects.get(key="document_expiry_warning").dedup_key == f"document_expiry:{soon.pk}"


def test_the_warning_window_follows_the_site_setting(in_site):
    w = in_site
    _document(w, w.pupil, _insurance(w.site), day(10))
    w.site.document_expiry_warning_days = 5
    w.site.save()
    assert run(services.document_expiry_warnings, at(day(0)), w.site)["sent"] == 0
    assert run(services.document_expiry_warnings, at(day(5)), w.site)["sent"] == 1


def test_an_expired_mandatory_document_cancels_the_coming_registrations_and_frees_the_place(in_site):
    w = in_site
    kind = _insurance(w.site)
    _document(w, w.pupil, kind, day(-1))
    Slot.objects.filter(pk=w.slot.pk).update(individual_places=1)  # full: someone waits
    waiting = registered(w, days=30).person
    WaitingListEntry.objects.create(site=w.site, slot=w.slot, person=waiting)
    _document(w, waiting, kind, day(300))
    reason = CancellationReason.objects.create(
        site=w.site,
        label="Document expired",
        usable_by_registrants=False,
        usable_by_managers=False,
        usable_by_system=True,
    )

    assert run(services.auto_cancel_expired_documents, at(day(0)), w.site) == {"people": 1, "cancelled": 1}

    w.registration.refresh_from_db()
    assert w.registration.status == Status.CANCELLED and w.registration.cancellation_reason == reason
    assert w.registration.cancelled_by is None
    # The place is free, and offered to the first person waiting.
    assert Slot.objects.get(pk=w.slot.pk).individual_places_taken == 0
    assert WaitingListEntry.objects.get(person=waiting).status == WaitingStatus.OFFERED
    (message,) = OutgoingMessage.objects.filter(key="registration_auto_cancelled")
    assert message.recipient == w.pupil.email and message.status == "sent"
    assert "Insurance certificate" in message.body and "Algorithmique" in message.subject
    # A second run changes nothing and sends nothing.
    assert run(services.auto_cancel_expired_documents, at(day(0), 9), w.site) == {"people": 0, "cancelled": 0}
    assert OutgoingMessage.objects.filter(key="registration_auto_cancelled").count() == 1


def test_archived_documents_past_slots_and_optional_documents_are_ignored(in_site):
    w = in_site
    kind = _insurance(w.site)
    # An expired document replaced by a valid one: nothing to cancel.
    _document(w, w.pupil, kind, day(-10), archived=True)
    _document(w, w.pupil, kind, day(100))
    # An expired optional document: nothing to cancel.
    optional = _insurance(w.site, "Photo release", mandatory=False)
    _document(w, w.other_pupil, optional, day(-1))
    # A slot already started: not cancelled (the document was valid then).
    started = registered(w, days=0, start=7, end=9)
    _document(w, started.person, kind, day(-1))
    assert run(services.auto_cancel_expired_documents, at(day(0)), w.site)["cancelled"] == 0
    assert Registration.objects.filter(status=Status.ACTIVE).count() == 3
    assert not OutgoingMessage.objects.filter(key="registration_auto_cancelled").exists()


def test_another_sites_documents_are_untouched(in_site, other_world):
    w = in_site
    with for_site(other_world.site):
        kind = _insurance(other_world.site)
        _document(other_world, other_world.pupil, kind, day(-1))
    assert run(services.auto_cancel_expired_documents, at(day(0)), w.site)["cancelled"] == 0
    with for_site(other_world.site):
        assert Registration.objects.get(pk=other_world.registration.pk).status == Status.ACTIVE
        assert run(services.auto_cancel_expired_documents, at(day(0)), other_world.site)["cancelled"] == 1
