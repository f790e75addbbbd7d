"""Every local-account page opens, on each site, and garbage never makes a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import AccountToken
from apps.accounts.tokens import issue_token

ANONYMOUS_PAGES = [
    ("accounts:signup", ()),
    ("accounts:login", ()),
    ("accounts:logout", ()),
    ("accounts:resend_activation", ()),
    ("accounts:password_reset", ()),
    ("accounts:mail_sent", ("signup",)),
    ("accounts:mail_sent", ("activation",)),
    ("accounts:mail_sent", ("password_reset",)),
    ("accounts:mail_sent", ("email_change",)),
]
SIGNED_IN_PAGES = [("accounts:password_change", ()), ("accounts:email_change", ()), ("accounts:logout", ())]
TOKEN_PAGES = [
    ("accounts:activate", AccountToken.Purpose.ACTIVATION),
    ("accounts:password_reset_confirm", AccountToken.Purpose.PASSWORD_RESET),
    ("accounts:email_change_confirm", AccountToken.Purpose.EMAIL_CHANGE),
]
#: The pages the links redirect to (their token in the session).
LINK_FORM_PAGES = ["accounts:activate_form", "accounts:password_reset_form", "accounts:email_change_form"]
GARBAGE = [
    {},
    {"email": ["a@example.org", "b@example.org"], "password": ["x", "y"]},
    {"email": "a\x00@example.org", "password": "\x00" * 20, "population": "\x00"},
    {"email": "x" * 5000 + "@example.org", "new_email": "y" * 5000, "first_name": "z" * 5000},
    {"population": "operator", "password1": "é" * 200, "password2": "é" * 200, "new_password1": "1", "old_password": 1},
    {"next": "javascript:alert(1)", "email": "<script>@example.org"},
]


@pytest.mark.parametrize("host", ["testserver", "beta.localhost"])
@pytest.mark.parametrize(("name", "args"), ANONYMOUS_PAGES)
def test_anonymous_pages_open_on_every_site(world, other_world, host, name, args):
    response = Client(HTTP_HOST=host).get(reverse(name, args=args))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1 and '<main id="main"' in content


@pytest.mark.parametrize(("name", "args"), SIGNED_IN_PAGES)
def test_signed_in_pages_open(client, world, name, args):
    client.force_login(world.pupil)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200 and response.content.decode().count("<h1") == 1


@pytest.mark.parametrize(("name", "purpose"), TOKEN_PAGES)
def test_pages_behind_a_link_open(client, world, name, purpose):
    payload = {"email": "new@example.org"} if purpose == AccountToken.Purpose.EMAIL_CHANGE else None
    raw = issue_token(world.pupil, purpose, site=world.site, payload=payload)
    response = client.get(reverse(name, args=[raw]), follow=True)
    assert response.status_code == 200 and response.content.decode().count("<h1") == 1
    assert raw not in response.redirect_chain[-1][0]


@pytest.mark.parametrize("data", GARBAGE)
@pytest.mark.parametrize("signed_in", [False, True])
def test_garbage_posts_never_fail(client, world, mailoutbox, data, signed_in):
    if signed_in:
        client.force_login(world.other_pupil)
    pages = [reverse(name, args=args) for name, args in ANONYMOUS_PAGES + SIGNED_IN_PAGES]
    for name, purpose in TOKEN_PAGES:
        pages.append(reverse(name, args=["garbage-token"]))
        pages.append(reverse(name, args=[issue_token(world.pupil, purpose, site=world.site)]))
    pages.append(reverse("accounts:after_sign_in"))
    pages += [reverse(name) for name in LINK_FORM_PAGES]  # with the tokens of the links posted above
    for page in pages:
        response = client.post(page, data)
        assert response.status_code < 500, page
        if signed_in and not client.session.get("_auth_user_id"):
            client.force_login(world.other_pupil)
    world.pupil.refresh_from_db()
    assert world.pupil.check_password("a-long-test-password") and world.pupil.email.startswith("user")


def test_other_methods_are_refused(client, world):
    for name, args in ANONYMOUS_PAGES[:5]:
        assert client.put(reverse(name, args=args)).status_code == 405
