"""The embedded sender: without a broker, one thread of the process delivers the outbox.

``submit(message_id)`` only puts the id on a bounded queue and returns: the request (or job)
that queued a message never waits for the mail server. One thread per process takes the ids
in turn and delivers them (:func:`.delivery.attempt`), each delivery bounded by
``EMAIL_TIMEOUT`` (the thread's life: :class:`apps.core.background.QueueThread`). When the
mail server cannot be reached, the thread drops the rest of its queue instead of waiting for it
once per message: those messages stay pending, and the outbox catch-up (``flush_outbox``) sends
them later, like any retry, like the ones a full queue or a killed process left behind.
"""

from __future__ import annotations

import logging

from apps.core.background import QueueThread

from .delivery import attempt

logger = logging.getLogger(__name__)


class Sender(QueueThread):
    name = "outbox-sender"

    def submit(self, message_id) -> bool:
        """Have a message delivered soon by the thread. False when the queue is full (the message
        stays pending for the catch-up)."""
        if self.put(message_id):
            return True
        logger.warning("outbox sender queue full: message %s left to the outbox catch-up", message_id)
        return False

    def handle(self, message_id):
        _result, unreachable = attempt(message_id)
        if unreachable:
            dropped = self.drop_queue()
            if dropped:
                logger.warning("mail server unreachable: %s messages left to the outbox catch-up", dropped)


sender = Sender()
