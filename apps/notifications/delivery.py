"""Delivering the outbox: exactly once per message, retried with backoff, failures kept in sight.

A delivery first *claims* the message (``pending → sending`` by a conditional update): two
workers, or a worker and the catch-up job, can never both send it. Success marks it sent; a
failure puts it back to pending with ``next_attempt_at`` later (1, 5, 15, 60 minutes, then
every 3 hours) until ``MAX_ATTEMPTS``, then marks it failed for the operator. A message left
"sending" by a worker that died mid-way is not resent blindly (it may have left): the
catch-up job marks it failed with that explanation, for the operator to check and retry.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutgoingMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_MINUTES = (1, 5, 15, 60, 180)
STALE_SENDING = dt.timedelta(minutes=30)

SENT, RETRY, SKIPPED, FAILED = "sent", "retry", "skipped", "failed"


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def dispatch(message):
    """Have a freshly queued message delivered: in-process without a broker, else by a worker
    once the surrounding transaction has committed (the row must exist for the worker)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        deliver(message.pk)
        message.refresh_from_db()
        return
    from .tasks import deliver_message

    transaction.on_commit(lambda: deliver_message.delay(message.pk))


def deliver(message_id, now=None) -> str:
    """Send one message if it is still to send. Returns SENT, RETRY, FAILED or SKIPPED."""
    now = now or timezone.now()
    claimed = OutgoingMessage.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=message_id,
        status=OutgoingMessage.Status.PENDING,
    ).update(status=OutgoingMessage.Status.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return SKIPPED
    message = OutgoingMessage.objects.get(pk=message_id)
    try:
        EmailMessage(
            subject=message.subject, body=message.body, from_email=message.from_email, to=[message.recipient]
        ).send()
    except Exception as error:  # the mail server said no, or was not there: try again later
        failed = message.attempts >= MAX_ATTEMPTS
        OutgoingMessage.objects.filter(pk=message_id).update(
            status=OutgoingMessage.Status.FAILED if failed else OutgoingMessage.Status.PENDING,
            next_attempt_at=None if failed else timezone.now() + backoff(message.attempts),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.warning("message %s (%s) not sent, attempt %s: %s", message.pk, message.key, message.attempts, error)
        return FAILED if failed else RETRY
    OutgoingMessage.objects.filter(pk=message_id).update(
        status=OutgoingMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return SENT


def flush_outbox(now=None, limit=500) -> dict:
    """The catch-up: deliver what is due (lost tasks, retries after a downtime), and flag
    messages stuck in "sending". Safe to run at any time, any number of times."""
    now = now or timezone.now()
    stuck = OutgoingMessage.objects.filter(
        status=OutgoingMessage.Status.SENDING, created_at__lt=now - STALE_SENDING
    ).update(
        status=OutgoingMessage.Status.FAILED,
        last_error="Interrupted while being sent: not resent automatically, to avoid a duplicate.",
    )
    due = list(
        OutgoingMessage.objects.filter(status=OutgoingMessage.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    results = {SENT: 0, RETRY: 0, FAILED: 0, SKIPPED: 0}
    for pk in due:
        results[deliver(pk, now=now)] += 1
    return {"stuck": stuck, **results}


def retry_failed(queryset) -> int:
    """The operator sends failed messages again (they go back to the queue)."""
    ids = list(queryset.filter(status=OutgoingMessage.Status.FAILED).values_list("pk", flat=True))
    OutgoingMessage.objects.filter(pk__in=ids).update(
        status=OutgoingMessage.Status.PENDING, next_attempt_at=None, attempts=0
    )
    for pk in ids:
        dispatch(OutgoingMessage.objects.get(pk=pk))
    return len(ids)
