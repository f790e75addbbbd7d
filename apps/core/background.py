"""Work that must not run inside the request, when there is no broker (the embedded default).

With a broker, Celery's workers do such work. Without one, :func:`run_later` hands a task and
its arguments, once the caller's transaction has committed, to one thread of the process: the
request answers without waiting for it (and without its time telling anything). A full queue
runs the task in the caller rather than lose it. ``BACKGROUND_SYNCHRONOUS`` (the test settings
only) runs it at once, in the caller (as Celery's eager mode would).

:class:`QueueThread` is the machinery, shared with the outbox's sender
(:mod:`apps.notifications.sender`): a bounded queue and one thread per process that starts on
demand and ends after a few idle seconds (closing its database connection). The thread is not a
daemon, so a process that ends finishes its queue first; a forked process starts with its own.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)

QUEUE_SIZE = 1000
IDLE_SECONDS = 2.0


class QueueThread:
    """A bounded queue of items and the one thread that hands them to :meth:`handle`, in turn."""

    name = "background"

    def __init__(self, queue_size=QUEUE_SIZE, idle_seconds=IDLE_SECONDS):
        self.queue_size = queue_size
        self.idle_seconds = idle_seconds
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self):
        self._queue = queue.Queue(self.queue_size)
        self._lock = threading.Lock()
        self._thread = None

    def handle(self, item):
        raise NotImplementedError

    def put(self, item) -> bool:
        """Queue an item for the thread (started if needed). False when the queue is full."""
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            return False
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=False)
                self._thread.start()
        return True

    def wait(self, timeout) -> bool:
        """Wait until every queued item has been handled (True) or ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True

    def drop_queue(self) -> int:
        """Forget the items still queued (from :meth:`handle`); how many."""
        dropped = 0
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return dropped
            self._queue.task_done()
            dropped += 1

    def _next(self):
        """The next item, or None when the thread has been idle long enough and is ending."""
        while True:
            try:
                return self._queue.get(timeout=self.idle_seconds)
            except queue.Empty:
                with self._lock:  # put() starts a new thread only once this one is gone
                    if self._queue.empty():
                        self._thread = None
                        return None

    def _run(self):
        while (item := self._next()) is not None:
            try:
                close_old_connections()
                self.handle(item)
            except Exception:
                logger.exception("%s thread: %r not handled", self.name, item)
            finally:
                if self._queue.empty():
                    connections.close_all()  # no idle connection held between bursts
                self._queue.task_done()


class Runner(QueueThread):
    """Runs ``func(*args)`` on the thread."""

    name = "background-runner"

    def submit(self, func, *args) -> bool:
        """Run ``func(*args)`` on the thread; False (and run here) when the queue is full."""
        if self.put((func, args)):
            return True
        logger.warning("background queue full: %s runs in the caller", getattr(func, "__name__", func))
        func(*args)
        return False

    def handle(self, item):
        func, args = item
        func(*args)


runner = Runner()


def run_later(func, *args):
    """Have ``func(*args)`` run outside the caller once its transaction has committed: on the
    background thread (no broker), or at once with ``BACKGROUND_SYNCHRONOUS`` (tests)."""
    if getattr(settings, "BACKGROUND_SYNCHRONOUS", False):
        func(*args)
    else:
        transaction.on_commit(lambda: runner.submit(func, *args))
