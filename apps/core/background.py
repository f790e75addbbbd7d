"""Work that must not run inside the request, when there is no broker (the embedded default).

With a broker, Celery's workers do such work. Without one, :func:`run_later` hands a task and
its arguments, once the caller's transaction has committed, to one thread of the process: the
request answers without waiting for it (and without its time telling anything). The thread
starts on demand, ends after a few idle seconds (closing its database connection) and is not a
daemon, so a process that ends finishes its queue first. A full queue runs the task in the
caller rather than lose it. ``BACKGROUND_SYNCHRONOUS`` (the test settings only) runs it at
once, in the caller (as Celery's eager mode would).
"""

from __future__ import annotations

import logging
import os
import queue
import threading

from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)

QUEUE_SIZE = 1000
IDLE_SECONDS = 2.0


class Runner:
    def __init__(self, queue_size=QUEUE_SIZE, idle_seconds=IDLE_SECONDS):
        self.queue_size = queue_size
        self.idle_seconds = idle_seconds
        self._reset()

    def _reset(self):
        self._queue = queue.Queue(self.queue_size)
        self._lock = threading.Lock()
        self._thread = None

    def submit(self, func, *args) -> bool:
        """Run ``func(*args)`` on the thread; False (and run here) when the queue is full."""
        try:
            self._queue.put_nowait((func, args))
        except queue.Full:
            logger.warning("background queue full: %s runs in the caller", getattr(func, "__name__", func))
            func(*args)
            return False
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="background-runner", daemon=False)
                self._thread.start()
        return True

    def join(self, timeout=10.0) -> bool:
        """Wait until everything submitted has run (for tests and commands)."""
        done = threading.Event()

        def wait():
            self._queue.join()
            done.set()

        threading.Thread(target=wait, daemon=True).start()
        return done.wait(timeout)

    def _next(self):
        while True:
            try:
                return self._queue.get(timeout=self.idle_seconds)
            except queue.Empty:
                with self._lock:  # submit() starts a new thread only once this one is gone
                    if self._queue.empty():
                        self._thread = None
                        return None

    def _run(self):
        while (item := self._next()) is not None:
            func, args = item
            try:
                close_old_connections()
                func(*args)
            except Exception:
                logger.exception("background task %s failed", getattr(func, "__name__", func))
            finally:
                if self._queue.empty():
                    connections.close_all()  # no idle connection held between bursts
                self._queue.task_done()


runner = Runner()
os.register_at_fork(after_in_child=runner._reset)  # a forked worker starts with its own queue and thread


def run_later(func, *args):
    """Have ``func(*args)`` run outside the caller once its transaction has committed: on the
    background thread (no broker), or at once with ``BACKGROUND_SYNCHRONOUS`` (tests)."""
    if getattr(settings, "BACKGROUND_SYNCHRONOUS", False):
        func(*args)
    else:
        transaction.on_commit(lambda: runner.submit(func, *args))
