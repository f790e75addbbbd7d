"""A mail server that accepts the connection and never answers: nobody waits for it.

The server is a real listening socket on 127.0.0.1 that never accepts (the kernel completes
the handshake, nothing ever replies). A request that queues a message answers at once and
the message waits in the outbox; each delivery gives up after ``EMAIL_TIMEOUT`` and leaves the
message pending, retried like any failure; the catch-up stops at the first silent answer
instead of waiting once per message; the message is sent once the server works.
"""

import datetime as dt
import socket
import time
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.notifications import delivery
from apps.notifications.models import OutgoingMessage
from apps.notifications.sender import sender
from apps.notifications.services import send_message
from apps.registrations.models import Registration, Status
from apps.tenancy.scoping import for_site
from tests.factories import make_slot

TIMEOUT = 1.5


@pytest.fixture
def silent_server(settings):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # connections complete, and are never answered
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = TIMEOUT
    yield listener
    listener.close()


def server_back(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def later(minutes=2):
    return timezone.now() + dt.timedelta(minutes=minutes)


def _send(w, **extra):
    with for_site(w.site):
        return send_message(
            "registration_confirmed", to=w.pupil, site=w.site, context={"registration": w.registration, "slot": w.slot}
        )


def test_the_email_timeout_is_set_by_default():
    from immersup import settings as production

    assert production.EMAIL_TIMEOUT and production.EMAIL_TIMEOUT <= 60


@pytest.mark.django_db(transaction=True)
def test_a_registration_answers_at_once_and_its_message_is_sent_later(client, world, silent_server, settings):
    settings.OUTBOX_SYNCHRONOUS_DELIVERY = False  # production: the sender thread
    with for_site(world.site):
        slot = make_slot(world, world.course, days=9)
    client.force_login(world.pupil)
    started = time.monotonic()
    response = client.post(reverse("registrations:register", args=[slot.pk]))
    elapsed = time.monotonic() - started

    assert response.status_code == 302 and response.url == reverse("portal:slot", args=[slot.pk])
    assert elapsed < TIMEOUT
    # The request did not wait for the mail server (it answered before EMAIL_TIMEOUT). The database
    # is read only once the sender thread is done: in-memory SQLite locks a table a reader holds.
    # The sender thread gives up after EMAIL_TIMEOUT: the message stays queued, retried later.
    assert sender.wait(timeout=TIMEOUT * 5)
    with for_site(world.site):
        assert Registration.objects.filter(person=world.pupil, slot=slot, status=Status.ACTIVE).count() == 1
    message = OutgoingMessage.objects.get(key="registration_confirmed", user=world.pupil)
    assert message.status == OutgoingMessage.Status.PENDING and message.attempts == 1
    assert "timed out" in message.last_error and message.next_attempt_at > timezone.now()
    assert mail.outbox == []

    server_back(settings)
    assert delivery.flush_outbox(now=later())["sent"] == 1
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT and message.attempts == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.pupil.email]
    assert delivery.flush_outbox(now=later(60))["sent"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_message_queued_in_a_transaction_waits_for_its_commit(world, settings):
    settings.OUTBOX_SYNCHRONOUS_DELIVERY = False
    with transaction.atomic():
        message = _send(world)
        assert sender.wait(timeout=1)  # nothing handed over before the commit
        assert OutgoingMessage.objects.get(pk=message.pk).status == OutgoingMessage.Status.PENDING
    assert sender.wait(timeout=5)
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT and len(mail.outbox) == 1


def test_a_timed_out_delivery_is_retried_not_lost(in_site, silent_server, settings):
    started = time.monotonic()
    message = _send(in_site)  # the test settings deliver at once: this is the delivery itself
    assert time.monotonic() - started < TIMEOUT * 4
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.PENDING and message.attempts == 1
    assert "timed out" in message.last_error
    # Not flagged as interrupted, even long after: a time-out we saw is an ordinary failure.
    assert delivery.flush_outbox(now=later(0))["stuck"] == 0

    server_back(settings)
    assert delivery.flush_outbox(now=later())["sent"] == 1
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT and len(mail.outbox) == 1


def test_the_catch_up_stops_at_a_silent_server_instead_of_waiting_for_each_message(in_site, settings):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError("down")):
        messages = [_send(in_site) for _ in range(3)]
    assert {m.status for m in OutgoingMessage.objects.filter(pk__in=[m.pk for m in messages])} == {"pending"}

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    settings.EMAIL_TIMEOUT = TIMEOUT
    try:
        started = time.monotonic()
        result = delivery.flush_outbox(now=later())
        elapsed = time.monotonic() - started
    finally:
        listener.close()
    assert result["retry"] == 1 and result["postponed"] == 2 and result["sent"] == 0
    assert elapsed < TIMEOUT * 2.5  # one wait, not three

    server_back(settings)
    assert delivery.flush_outbox(now=later(30))["sent"] == 3
    assert len(mail.outbox) == 3


def test_only_a_message_whose_sender_died_is_flagged_as_interrupted(in_site):
    long_ago = timezone.now() - dt.timedelta(hours=3)
    died, busy = _send(in_site), _send(in_site)
    OutgoingMessage.objects.filter(pk__in=[died.pk, busy.pk]).update(
        status=OutgoingMessage.Status.SENDING, created_at=long_ago
    )
    # An old message claimed a moment ago (a retry) is being sent: left alone.
    OutgoingMessage.objects.filter(pk=busy.pk).update(claimed_at=timezone.now() - dt.timedelta(minutes=1))
    OutgoingMessage.objects.filter(pk=died.pk).update(claimed_at=long_ago)
    assert delivery.flush_outbox()["stuck"] == 1
    died.refresh_from_db()
    busy.refresh_from_db()
    assert died.status == OutgoingMessage.Status.FAILED and "duplicate" in died.last_error
    assert busy.status == OutgoingMessage.Status.SENDING


def test_a_broker_that_is_down_does_not_fail_the_request(client, world, settings, django_capture_on_commit_callbacks):
    from apps.notifications.tasks import deliver_message

    settings.CELERY_TASK_ALWAYS_EAGER = False
    with for_site(world.site):
        slot = make_slot(world, world.course, days=9)
    client.force_login(world.pupil)
    broker_down = mock.patch.object(deliver_message, "delay", side_effect=OSError("broker unreachable"))
    with broker_down as delay, django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registrations:register", args=[slot.pk]))
    assert response.status_code == 302 and delay.called
    message = OutgoingMessage.objects.get(key="registration_confirmed", user=world.pupil)
    assert message.status == OutgoingMessage.Status.PENDING  # the catch-up sends it
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert delivery.flush_outbox()["sent"] == 1 and len(mail.outbox) == 1
