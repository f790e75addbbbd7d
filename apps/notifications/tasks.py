"""Celery tasks of the outbox."""

from celery import shared_task

from . import delivery
from .models import OutgoingMessage


@shared_task(bind=True, acks_late=True, max_retries=delivery.MAX_ATTEMPTS)
def deliver_message(self, message_id):
    result = delivery.deliver(message_id)
    if result == delivery.RETRY:
        attempts = OutgoingMessage.objects.filter(pk=message_id).values_list("attempts", flat=True).first() or 1
        raise self.retry(countdown=int(delivery.backoff(attempts).total_seconds()))
    return result


@shared_task
def flush_outbox():
    return delivery.flush_outbox()
