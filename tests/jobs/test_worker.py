"""A real Celery worker, on the Redis broker at REDIS_URL, delivers a queued message.

The rest of the suite runs tasks in-process (``CELERY_TASK_ALWAYS_EAGER``); this test proves
the production path: ``send_message`` stores the message, queues its delivery on Redis once
the transaction commits, and a worker (in a thread of this process, sharing the test
database) claims it and sends it. ``.ci/run`` sets REDIS_URL in its PostgreSQL leg.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connection, transaction

from apps.notifications.models import OutgoingMessage
from apps.notifications.services import send_message
from apps.tenancy.scoping import for_site
from immersup.celery import app
from tests.factories import make_site, make_user

REDIS_URL = settings.REDIS_URL  # REDIS_URL, or under pytest-xdist the worker's own database (settings_test)

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server: set REDIS_URL (the CI's PostgreSQL leg does)"),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="a worker thread and the test share the database: PostgreSQL only (SQLite's in-memory test "
        "database locks whole tables across threads)",
    ),
]

WORKER_CONF = {
    "broker_url": REDIS_URL,
    "task_always_eager": False,
    "worker_hijack_root_logger": False,  # leave pytest's log capture alone
    "broker_connection_retry_on_startup": False,
    "broker_connection_max_retries": 1,
}


@pytest.fixture
def worker_app(settings):
    saved = {key: app.conf.get(key) for key in WORKER_CONF}
    app.conf.update(WORKER_CONF)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.control.purge()  # nothing left over from an interrupted run
    yield app
    app.conf.update(saved)


def _wait_until_sent(message, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status != OutgoingMessage.Status.PENDING:
            return message
        time.sleep(0.1)
    return message


def test_a_real_worker_delivers_a_queued_message(transactional_db, worker_app):
    site = make_site("worker", hosts=("worker.localhost",))
    referent = make_user()
    mail.outbox = []
    with start_worker(worker_app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=15):
        with for_site(site), transaction.atomic():
            message = send_message(
                "pending_validations_digest", to=referent, site=site, context={"recipient": referent, "count": 3}
            )
            # Queued on commit only: the worker must find the row.
            assert message.status == OutgoingMessage.Status.PENDING
        message = _wait_until_sent(message)
    assert message.status == OutgoingMessage.Status.SENT and message.attempts == 1 and message.sent_at
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [referent.email] and mail.outbox[0].subject == message.subject
    assert "http://worker.localhost/back-office/records/validation/" in mail.outbox[0].body
