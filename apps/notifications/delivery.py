"""Delivering the outbox: outside the request, exactly once per message, retried with backoff,
failures kept in sight, single-use links masked once they are no longer needed.

**Where.** Never inside the request, or the job, that queued the message: a slow or silent
mail server must neither turn a committed registration into an error page nor hold a job.
Once the caller's transaction has committed, the message's id goes to a Celery worker when a
broker is configured, else (the embedded default) to the process's sender thread
(:mod:`.sender`), which returns at once (:mod:`.dispatch` hands it over; this module is what
either of them runs). The catch-up, :func:`flush_outbox` (the scheduled
``flush_outbox`` job, or ``manage.py flush_outbox``), sends whatever is due and was not sent:
retries, messages a stopped process or a full queue left behind. ``OUTBOX_SYNCHRONOUS_DELIVERY``
(the test settings only) sends at once instead, so that tests read ``mail.outbox`` right away.

**Exactly once.** A delivery first *claims* the message (``pending → sending`` by a conditional
update, dated ``claimed_at``): two workers, or a worker and the catch-up, never both send it.

**Failures.** ``EMAIL_TIMEOUT`` bounds every exchange with the mail server. A failure the
delivery sees — refused, timed out, disconnected, or the server said no — puts the message back
to pending with ``next_attempt_at`` later (1, 5, 15, 60 minutes, then every 3 hours) until
``MAX_ATTEMPTS``, then marks it failed for the operator. When the server itself cannot be
reached, the catch-up and the sender thread stop there and leave the rest due for their next
run, instead of waiting for it once per message. Only a message left "sending" by a process
that died mid-way has an unknown outcome (it may have left): after ``STALE_SENDING`` the
catch-up marks it failed with that explanation, for the operator to check and retry.

**Secrets.** When a message is sent or failed for good, its stored subject and body are
rewritten with its single-use links masked (:mod:`.masking`) and the secrets forgotten. A
failed message whose link was masked cannot be sent again: it would carry a dead link, and the
person asks for a new one.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from . import masking
from .models import OutgoingMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_MINUTES = (1, 5, 15, 60, 180)
STALE_SENDING = dt.timedelta(minutes=30)
INTERRUPTED = "Interrupted while being sent: not resent automatically, to avoid a duplicate."

SENT, RETRY, SKIPPED, FAILED = "sent", "retry", "skipped", "failed"
POSTPONED = "postponed"  # due, left for the next catch-up because the mail server was unreachable


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def server_unreachable(error) -> bool:
    """Whether a failure is the mail server's (or the network's), not this message's: every
    other message would fail the same way now."""
    if isinstance(
        error,
        (
            smtplib.SMTPServerDisconnected,
            smtplib.SMTPConnectError,
            smtplib.SMTPHeloError,
            smtplib.SMTPAuthenticationError,
        ),
    ):
        return True
    # Time-outs, refused or reset connections, unknown host, TLS: OSErrors that are not an SMTP reply.
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def _masked(message) -> dict:
    """The fields that put a message's stored copy beyond use: its links masked, its secrets forgotten."""
    if not message.secrets:
        return {}
    return {
        "subject": masking.mask(message.subject, message.secrets),
        "body": masking.mask(message.body, message.secrets),
        "secrets": [],
        "secrets_masked": True,
    }


def attempt(message_id, now=None) -> tuple[str, bool]:
    """Send one message if it is still to send: (SENT, RETRY, FAILED or SKIPPED, whether the
    mail server itself could not be reached)."""
    now = now or timezone.now()
    claimed = OutgoingMessage.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=message_id,
        status=OutgoingMessage.Status.PENDING,
    ).update(status=OutgoingMessage.Status.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now())
    if not claimed:
        return SKIPPED, False
    message = OutgoingMessage.objects.get(pk=message_id)
    try:
        EmailMessage(
            subject=message.subject, body=message.body, from_email=message.from_email, to=[message.recipient]
        ).send()
    except Exception as error:  # the mail server said no, timed out, or was not there: try again later
        failed = message.attempts >= MAX_ATTEMPTS
        OutgoingMessage.objects.filter(pk=message_id).update(
            status=OutgoingMessage.Status.FAILED if failed else OutgoingMessage.Status.PENDING,
            next_attempt_at=None if failed else timezone.now() + backoff(message.attempts),
            last_error=f"{type(error).__name__}: {error}"[:2000],
            claimed_at=None,
            **(_masked(message) if failed else {}),
        )
        logger.warning("message %s (%s) not sent, attempt %s: %s", message.pk, message.key, message.attempts, error)
        return (FAILED if failed else RETRY), server_unreachable(error)
    OutgoingMessage.objects.filter(pk=message_id).update(
        status=OutgoingMessage.Status.SENT, sent_at=timezone.now(), last_error="", claimed_at=None, **_masked(message)
    )
    return SENT, False


def deliver(message_id, now=None) -> str:
    """Send one message if it is still to send. Returns SENT, RETRY, FAILED or SKIPPED."""
    return attempt(message_id, now=now)[0]


def _flag_stuck(now) -> int:
    """Messages left "sending" by a process that died mid-way: failed, for the operator."""
    stale = now - STALE_SENDING
    stuck = OutgoingMessage.objects.filter(status=OutgoingMessage.Status.SENDING).filter(
        Q(claimed_at__lt=stale) | Q(claimed_at__isnull=True, created_at__lt=stale)  # claimed before claimed_at
    )
    count = 0
    for message in stuck.only("pk", "subject", "body", "secrets"):
        count += OutgoingMessage.objects.filter(pk=message.pk, status=OutgoingMessage.Status.SENDING).update(
            status=OutgoingMessage.Status.FAILED, last_error=INTERRUPTED, claimed_at=None, **_masked(message)
        )
    return count


def flush_outbox(now=None, limit=500) -> dict:
    """The catch-up: deliver what is due (lost tasks, retries after a downtime), and flag
    messages stuck in "sending". Safe to run at any time, any number of times."""
    now = now or timezone.now()
    stuck = _flag_stuck(now)
    due = list(
        OutgoingMessage.objects.filter(status=OutgoingMessage.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    results = {SENT: 0, RETRY: 0, FAILED: 0, SKIPPED: 0, POSTPONED: 0}
    for index, pk in enumerate(due):
        result, unreachable = attempt(pk, now=now)
        results[result] += 1
        if unreachable:  # every other message would wait for it too: the next run tries again
            results[POSTPONED] = len(due) - index - 1
            break
    return {"stuck": stuck, **results}


def link_removed(queryset) -> int:
    """How many of these failed messages cannot be sent again: their single-use link was masked."""
    return queryset.filter(status=OutgoingMessage.Status.FAILED, secrets_masked=True).count()
