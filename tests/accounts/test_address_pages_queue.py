"""The pages that start from an e-mail address (password reset, new activation link, sign-up) do
the same work for every address: they queue a task with it, after the commit. Looking the
address up, the token and the message are the task's, outside the request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts import tasks
from apps.accounts.models import AccountToken, User
from tests.factories import make_user

from .local_helpers import signup_data

UNKNOWN = "nobody.here@example.org"


@pytest.fixture
def broker(settings, monkeypatch):
    """A broker, as in production: the tasks handed to it are recorded, for the test to run them."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    handed = []
    for task in (tasks.password_reset, tasks.resend_activation, tasks.sign_up):
        monkeypatch.setattr(task, "delay", lambda *args, task=task: handed.append((task, args)))
    return handed


def _reset(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def _resend(client, email):
    return client.post(reverse("accounts:resend_activation"), {"email": email})


def _sign_up(client, email):
    return client.post(reverse("accounts:signup"), signup_data(email=email))


def _known(world, ask):
    if ask is _resend:
        return make_user("sleeping@example.org", is_active=False).email
    return world.pupil.email


@pytest.mark.parametrize("ask", [_reset, _resend, _sign_up])
def test_known_and_unknown_addresses_take_the_same_path(
    client, world, broker, mailoutbox, settings, django_capture_on_commit_callbacks, ask
):
    known = _known(world, ask)
    users, tokens = User.objects.count(), AccountToken.objects.count()
    ask(client, "warm.up@example.org")  # the site is resolved once, then cached
    broker.clear()
    seen = []
    for email in (known, UNKNOWN):
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True) as queued:
            response = ask(client, email)
        sql = [query["sql"].replace(email, "<address>") for query in queries]
        seen.append((response.status_code, response.url, len(queued), sql))
    assert seen[0] == seen[1]  # the same answer, the same queries, one task queued after the commit
    assert not any("accounts_user" in query for query in seen[0][3]), seen[0][3]  # no lookup in the request
    assert mailoutbox == [] and (User.objects.count(), AccountToken.objects.count()) == (users, tokens)
    assert [args[1] if ask is not _sign_up else args[1]["email"] for _task, args in broker] == [known, UNKNOWN]
    assert signup_data()["password1"] not in str(broker)  # a sign-up hands over the hash only

    # The worker does the rest: only the owner of the known address gets a message (a sign-up
    # with the unknown one creates its account).
    settings.CELERY_TASK_ALWAYS_EAGER = True
    for task, args in broker:
        task(*args)
    expected = [[known], [UNKNOWN]] if ask is _sign_up else [[known]]
    assert [m.to for m in mailoutbox] == expected
    if ask is _sign_up:
        created = User.objects.get(email=UNKNOWN)
        assert created.check_password(signup_data()["password1"]) and not created.is_active


def test_the_task_of_a_deleted_site_does_nothing(world, mailoutbox):
    assert tasks.password_reset(world.site.pk + 1000, world.pupil.email) is False
    assert mailoutbox == []


def test_a_broker_that_is_down_does_not_lose_the_request(
    client, world, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def down(*args):
        settings.CELERY_TASK_ALWAYS_EAGER = True  # the message itself is then sent at once, as in the tests
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.password_reset, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        response = _reset(client, world.pupil.email)
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[world.pupil.email]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("ask", [_reset, _resend, _sign_up])
def test_without_a_broker_the_work_runs_after_the_answer(client, world, settings, mailoutbox, ask):
    """The embedded default (no broker): the page hands the address to the process's background
    thread and answers; the same queries for a known and an unknown address, none on accounts."""
    from apps.core.background import runner

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.BACKGROUND_SYNCHRONOUS = False  # production's embedded mode
    known = _known(world, ask)
    ask(client, "warm.up@example.org")  # the site is resolved once, then cached
    assert runner.wait(timeout=10)
    mailoutbox.clear()
    seen = []
    for email in (known, UNKNOWN):
        # Only the page's own queries are captured here: the thread's come after the answer.
        with CaptureQueriesContext(connection) as queries:
            response = ask(client, email)
        sql = [query["sql"].replace(email, "<address>") for query in queries]
        seen.append((response.status_code, response.url, sql))
        assert runner.wait(timeout=10)
    assert seen[0] == seen[1]
    assert not any("accounts_user" in query for query in seen[0][2]), seen[0][2]
    expected = [[known], [UNKNOWN]] if ask is _sign_up else [[known]]
    assert [m.to for m in mailoutbox] == expected
