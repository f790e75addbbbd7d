"""The pages that send an e-mail to a typed address are limited per address and per client.

Every valid request counts, whether the address has an account or not; over a rate, the form
comes back (HTTP 429) with a message saying when to try again, and nothing is sent.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.http import forwarded_ip
from tests.factories import make_user

from .local_helpers import signup_data

RESET = reverse("accounts:password_reset")
RESEND = reverse("accounts:resend_activation")
SIGNUP = reverse("accounts:signup")
CHANGE = reverse("accounts:email_change")
MAIN = re.compile(r"<main.*</main>", re.DOTALL)
WAIT = re.compile(r"\d+ minutes?")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
REFUSED = "Too many requests for this address or from your connection: nothing was sent."


@pytest.fixture(autouse=True)
def rates(settings):
    settings.ACCOUNT_MAIL_RATE_PER_ADDRESS = "3/15m"
    settings.ACCOUNT_MAIL_RATE_PER_IP = "20/h"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _refused(response):
    content = response.content.decode()
    return response.status_code == 429 and REFUSED in content and 'role="alert"' in content


@pytest.mark.parametrize("known", [True, False])
def test_the_fourth_reset_for_an_address_is_refused_and_sends_nothing(client, world, mailoutbox, known):
    email = world.pupil.email if known else "nobody@example.org"
    for _ in range(3):
        assert client.post(RESET, {"email": email}).status_code == 302
    sent = len(mailoutbox)
    assert sent == (3 if known else 0)
    fourth = client.post(RESET, {"email": f" {email.upper()} "})  # the same address, however typed
    assert _refused(fourth), fourth.content.decode()
    assert "Please try again in" in fourth.content.decode()
    assert len(mailoutbox) == sent
    # Another address is still served.
    assert client.post(RESET, {"email": world.other_pupil.email}).status_code == 302
    assert mailoutbox[-1].to == [world.other_pupil.email]


def test_the_refusal_is_the_same_for_known_and_unknown_addresses(client, world):
    answers = []
    for email in (world.pupil.email, "nobody@example.org"):
        for _ in range(3):
            client.post(RESET, {"email": email})
        main = MAIN.search(client.post(RESET, {"email": email}).content.decode()).group(0)
        # The wait depends on the address typed (each counter's window has its own end), not on its account.
        answers.append(CSRF.sub("", WAIT.sub("N minutes", main.replace(email, "<address>"))))
    assert answers[0] == answers[1] and REFUSED in answers[0]


def test_reset_activation_link_and_sign_up_share_the_count_of_an_address(client, world, mailoutbox):
    person = make_user("sleeping@example.org", is_active=False)
    assert client.post(RESET, {"email": person.email}).status_code == 302
    assert client.post(RESEND, {"email": person.email}).status_code == 302
    assert client.post(SIGNUP, signup_data(email=person.email)).status_code == 302
    sent = len(mailoutbox)
    for page, data in ((RESET, {"email": person.email}), (RESEND, {"email": person.email})):
        assert _refused(client.post(page, data))
    refused = client.post(SIGNUP, signup_data(email=person.email))
    assert _refused(refused)
    assert 'name="first_name"' in refused.content.decode()  # the form, filled in again but the passwords
    assert signup_data()["password1"] not in refused.content.decode()
    assert len(mailoutbox) == sent


def test_a_new_account_is_not_created_over_the_limit(client, world, mailoutbox):
    for _ in range(3):
        client.post(RESEND, {"email": "new.pupil@example.org"})
    assert _refused(client.post(SIGNUP, signup_data(email="new.pupil@example.org")))
    assert not User.objects.filter(email="new.pupil@example.org").exists() and mailoutbox == []


def test_one_client_is_limited_across_addresses(client, world, mailoutbox, settings):
    settings.ACCOUNT_MAIL_RATE_PER_IP = "5/h"
    for n in range(5):
        assert client.post(RESET, {"email": f"person{n}@example.org"}).status_code == 302
    assert _refused(client.post(RESET, {"email": world.pupil.email}))
    assert _refused(client.post(SIGNUP, signup_data(email="someone.else@example.org")))
    assert mailoutbox == [] and not User.objects.filter(email="someone.else@example.org").exists()
    # Another client is not.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(RESET, {"email": world.pupil.email}).status_code == 302
    assert [m.to for m in mailoutbox] == [[world.pupil.email]]


def test_the_e_mail_change_is_limited_too(client, world, mailoutbox):
    client.force_login(world.pupil)
    for _ in range(3):
        assert (
            client.post(CHANGE, {"new_email": "new@example.org", "password": "a-long-test-password"}).status_code == 302
        )
    sent = len(mailoutbox)
    assert _refused(client.post(CHANGE, {"new_email": "new@example.org", "password": "a-long-test-password"}))
    assert len(mailoutbox) == sent


def test_invalid_forms_are_not_counted(client, world):
    for _ in range(5):
        assert client.post(RESET, {"email": "not an address"}).status_code == 200
    assert client.post(RESET, {"email": world.pupil.email}).status_code == 302


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("198.51.100.1, 203.0.113.9", "203.0.113.9"),
        ("garbage", "127.0.0.1"),
        ("", "127.0.0.1"),
    ],
)
def test_behind_a_proxy_the_client_is_the_address_it_added(rf, forwarded, expected):
    request = rf.post(RESET, HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert forwarded_ip(request) == expected
