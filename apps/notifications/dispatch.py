"""Handing a queued message over to whoever delivers it: a Celery worker when a broker is
configured, else the process's sender thread (:mod:`.sender`), or at once under
``OUTBOX_SYNCHRONOUS_DELIVERY`` (the test settings). Both run :mod:`.delivery`, which knows
nothing of them (see there for the exactly-once and retry rules)."""

import logging

from django.conf import settings
from django.db import transaction

from .delivery import deliver
from .models import OutgoingMessage
from .sender import sender
from .tasks import deliver_message

logger = logging.getLogger(__name__)


def dispatch(message):
    """Have a freshly queued message delivered once the surrounding transaction has committed
    (the row must exist for whoever sends it), outside the caller."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: _to_worker(message.pk))
    elif getattr(settings, "OUTBOX_SYNCHRONOUS_DELIVERY", False):
        deliver(message.pk)
        message.refresh_from_db()
    else:
        transaction.on_commit(lambda: sender.submit(message.pk))


def _to_worker(message_id):
    try:
        deliver_message.delay(message_id)
    except Exception:  # the broker is down: the caller's work is committed, the catch-up sends it
        logger.exception("message %s not handed to a worker: left to the outbox catch-up", message_id)


def retry_failed(queryset) -> int:
    """The operator sends failed messages again (they go back to the queue). Not those whose
    single-use link was masked (see :func:`.delivery.link_removed`): they would carry a dead link."""
    ids = list(queryset.filter(status=OutgoingMessage.Status.FAILED, secrets_masked=False).values_list("pk", flat=True))
    OutgoingMessage.objects.filter(pk__in=ids).update(
        status=OutgoingMessage.Status.PENDING, next_attempt_at=None, attempts=0
    )
    for pk in ids:
        dispatch(OutgoingMessage.objects.get(pk=pk))
    return len(ids)
