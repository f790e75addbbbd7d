"""The embedded sender: without a broker, one thread of the process delivers the outbox.

``submit(message_id)`` only puts the id on a bounded queue and returns: the request (or job)
that queued a message never waits for the mail server. One thread per process takes the ids
in turn and delivers them (:func:`.delivery.attempt`); it starts on demand and ends after a
few idle seconds, closing its database connection. It is not a daemon: a process that ends
(a management command, a worker recycled by gunicorn) first finishes the queue, each delivery
bounded by ``EMAIL_TIMEOUT``. When the mail server cannot be reached, the thread drops the
rest of its queue instead of waiting for it once per message: those messages stay pending,
and the outbox catch-up (``flush_outbox``) sends them later, like any retry, like the ones a
full queue or a killed process left behind.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time

from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

QUEUE_SIZE = 1000
IDLE_SECONDS = 2.0


class Sender:
    def __init__(self, queue_size=QUEUE_SIZE, idle_seconds=IDLE_SECONDS):
        self.queue_size = queue_size
        self.idle_seconds = idle_seconds
        self._reset()

    def _reset(self):
        self._queue = queue.Queue(self.queue_size)
        self._lock = threading.Lock()
        self._thread = None

    def submit(self, message_id) -> bool:
        """Have a message delivered soon by the thread. False when the queue is full (the message
        stays pending for the catch-up)."""
        try:
            self._queue.put_nowait(message_id)
        except queue.Full:
            logger.warning("outbox sender queue full: message %s left to the outbox catch-up", message_id)
            return False
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=False)
                self._thread.start()
        return True

    def wait(self, timeout) -> bool:
        """Wait until every submitted message has been handled (True) or ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True

    def _next(self):
        """The next id, or None when the thread has been idle long enough and is ending."""
        while True:
            try:
                return self._queue.get(timeout=self.idle_seconds)
            except queue.Empty:
                with self._lock:  # submit() starts a new thread only once this one is gone
                    if self._queue.empty():
                        self._thread = None
                        return None

    def _drop_queue(self) -> int:
        dropped = 0
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return dropped
            self._queue.task_done()
            dropped += 1

    def _run(self):
        from .delivery import attempt

        while (message_id := self._next()) is not None:
            try:
                close_old_connections()
                _result, unreachable = attempt(message_id)
                if unreachable:
                    dropped = self._drop_queue()
                    if dropped:
                        logger.warning("mail server unreachable: %s messages left to the outbox catch-up", dropped)
            except Exception:  # the database, most likely: the message stays for the catch-up
                logger.exception("outbox sender: message %s not delivered", message_id)
            finally:
                if self._queue.empty():
                    connections.close_all()  # no idle connection held between bursts
                self._queue.task_done()


sender = Sender()
os.register_at_fork(after_in_child=sender._reset)  # a forked worker starts with its own queue and thread
