"""The outbox: every message stored, sent once, retried when the mail server fails, never lost."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from apps.notifications import delivery, dispatch
from apps.notifications.models import MessageTemplate, OutgoingMessage
from apps.notifications.services import send_message
from apps.tenancy.scoping import platform_job

pytestmark = pytest.mark.django_db


def _send(w, **extra):
    return send_message(
        "registration_confirmed",
        to=w.pupil,
        site=w.site,
        context={"registration": w.registration, "slot": w.slot},
        **extra,
    )


def test_a_message_is_stored_then_sent_once(in_site):
    message = _send(in_site)
    assert message.status == OutgoingMessage.Status.SENT and message.sent_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [in_site.pupil.email]
    assert message.subject == mail.outbox[0].subject and message.body == mail.outbox[0].body
    assert delivery.deliver(message.pk) == delivery.SKIPPED  # a second delivery sends nothing
    assert delivery.flush_outbox()["sent"] == 0
    assert len(mail.outbox) == 1


def test_a_once_only_key_sends_once_whatever_the_number_of_calls(in_site):
    assert _send(in_site, dedup_key="reminder:1") is not None
    assert _send(in_site, dedup_key="reminder:1") is None
    assert _send(in_site, dedup_key="reminder:2") is not None
    assert len(mail.outbox) == 2


def test_a_failing_mail_server_leaves_the_message_queued_then_retried(in_site):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError("no server")):
        message = _send(in_site)
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.PENDING and message.attempts == 1
    assert "no server" in message.last_error and message.next_attempt_at > timezone.now()
    assert mail.outbox == []
    # Not yet due: the catch-up leaves it alone; once due, it is sent, once.
    assert delivery.flush_outbox()["sent"] == 0
    later = timezone.now() + dt.timedelta(hours=1)
    assert delivery.flush_outbox(now=later)["sent"] == 1
    assert delivery.flush_outbox(now=later)["sent"] == 0
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT and message.attempts == 2
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_the_message_is_failed_for_the_operator(in_site):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        message = _send(in_site)
        now = timezone.now()
        for _ in range(delivery.MAX_ATTEMPTS):
            now += dt.timedelta(hours=4)
            delivery.flush_outbox(now=now)
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.FAILED and message.attempts == delivery.MAX_ATTEMPTS
    with platform_job():
        assert dispatch.retry_failed(OutgoingMessage.objects.filter(pk=message.pk)) == 1
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT and len(mail.outbox) == 1


def test_a_message_stuck_while_sending_is_flagged_not_resent(in_site):
    message = _send(in_site)
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status=OutgoingMessage.Status.SENDING, created_at=timezone.now() - dt.timedelta(hours=2)
    )
    assert delivery.flush_outbox()["stuck"] == 1
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.FAILED and "duplicate" in message.last_error
    assert len(mail.outbox) == 1


def test_a_site_text_replaces_the_default_in_its_language_only(in_site):
    w = in_site
    MessageTemplate.objects.create(
        site=w.site,
        key="registration_confirmed",
        language="fr",
        subject="Inscrit·e : {{ slot_label }}",
        body="Salut {{ first_name }} — {{ user.password }}{% if slot_place %} à {{ slot_place }}{% endif %}",
    )
    french = _send(w)
    assert french.subject == f"Inscrit·e : {w.slot.offer_label}"
    assert french.body.startswith(f"Salut {w.pupil.first_name} — ") and "Atrium" in french.body
    assert "argon2" not in french.body  # no object reaches a site's text
    w.pupil.preferred_language = "en"
    english = _send(w)
    assert english.subject.startswith("Registration confirmed")
