"""Signing in and out with a local account, the lockout, and the router after sign-in."""

import re

import axes.utils
import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role, RoleAssignment
from apps.tenancy.scoping import platform_job
from tests.factories import grant, make_user

from .local_helpers import set_window, signed_in_user_id

LOGIN = reverse("accounts:login")
AFTER = reverse("accounts:after_sign_in")
TEST_PASSWORD = "a-long-test-password"  # tests.factories.make_user


def _login(client, email, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"email": email, "password": password, **extra})


def _error(response):
    alert = r'<div class="alert alert-danger" role="alert"[^>]*>(.*?)</div>'
    return re.search(alert, response.content.decode(), re.S)[1]


def test_the_login_page_opens(client, world):
    response = client.get(LOGIN)
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("accounts:password_reset", "accounts:resend_activation", "accounts:signup", "federation:sign_in"):
        assert reverse(name) in content


def test_signing_in_rotates_the_session_and_marks_it_local(client, world):
    session = client.session
    session["before"] = "kept"
    session.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key
    response = _login(client, f"  {world.pupil.email.upper()} ")
    assert response.status_code == 302 and response.url == AFTER
    assert client.session.session_key != session.session_key
    assert signed_in_user_id(client) == str(world.pupil.pk)
    assert client.session["auth_method"] == "local"
    world.pupil.refresh_from_db()
    assert world.pupil.last_login is not None


def test_the_same_error_for_unknown_address_wrong_password_and_inactive_account(client, world):
    inactive = make_user(is_active=False)
    answers = [
        _login(client, "nobody@example.org"),
        _login(client, world.pupil.email, "a-wrong-password-indeed"),
        _login(client, inactive.email),
    ]
    assert {response.status_code for response in answers} == {200}
    assert len({_error(response) for response in answers}) == 1
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/record/somewhere/?a=1", "/record/somewhere/?a=1"),
        ("https://evil.example.org/", AFTER),
        ("//evil.example.org/", AFTER),
        ("http://testserver/record/", "http://testserver/record/"),
        ("javascript:alert(1)", AFTER),
        ("", AFTER),
    ],
)
def test_only_a_safe_next_is_followed(client, world, next_url, expected):
    response = _login(client, world.pupil.email, next=next_url)
    assert response.status_code == 302 and response.url == expected


def test_the_next_survives_a_failed_attempt(client, world):
    response = client.get(LOGIN, {"next": "/record/"})
    assert 'name="next" value="/record/"' in response.content.decode()
    response = _login(client, world.pupil.email, "wrong-password-here", next="https://evil.example.org/")
    assert "evil.example.org" not in response.content.decode()


@pytest.mark.parametrize("window", [{"opens_in": 3}, {"ended": True}, {"no_year": True}])
def test_a_first_sign_in_waits_for_the_window(client, world, window):
    set_window(world, **window)
    newcomer = make_user()
    grant(newcomer, world.site, Role.PUPIL)
    response = _login(client, newcomer.email)
    assert response.status_code == 403
    assert "accounts/closed.html" in [t.name for t in response.templates]
    assert signed_in_user_id(client) is None


def test_returning_people_and_staff_sign_in_when_the_window_is_closed(client, world):
    set_window(world, no_year=True)
    returning = make_user()
    returning.last_login = returning.date_joined
    returning.save()
    assert _login(client, returning.email).status_code == 302
    client.logout()
    assert world.master_referent.last_login is None
    assert _login(client, world.master_referent.email).status_code == 302


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    axes.utils.reset()
    yield
    axes.utils.reset()


def test_five_failures_lock_the_account_out(client, world, axes_on):
    for _ in range(4):
        assert _login(client, world.pupil.email, "wrong-password-here").status_code == 200
    fifth = _login(client, world.pupil.email, "wrong-password-here")
    assert fifth.status_code == 429
    response = _login(client, world.pupil.email)  # the right password
    assert response.status_code in (403, 429)
    content = response.content.decode()
    assert "<h1>" in content and reverse("accounts:password_reset") in content, (
        "the lockout page must be ours: AXES_LOCKOUT_CALLABLE = 'apps.accounts.views.locked_out'"
    )
    assert signed_in_user_id(client) is None
    # Someone else is not locked out.
    assert _login(Client(), world.visitor.email).status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, world, axes_on):
    for _ in range(4):
        _login(client, world.pupil.email, "wrong-password-here")
    assert _login(client, world.pupil.email).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, world.pupil.email, "wrong-password-here").status_code == 200
    assert _login(client, world.pupil.email).status_code == 302


# --- Signing out -----------------------------------------------------------------------------

LOGOUT = reverse("accounts:logout")


def test_the_logout_page_offers_a_button(client, world):
    assert client.get(LOGOUT).status_code == 200
    client.force_login(world.pupil)
    response = client.get(LOGOUT)
    assert response.status_code == 200 and 'method="post"' in response.content.decode()
    assert signed_in_user_id(client) == str(world.pupil.pk)


@pytest.mark.parametrize("method", [None, "local"])
def test_a_local_session_ends_here(client, world, method):
    client.force_login(world.pupil)
    if method:
        session = client.session
        session["auth_method"] = method
        session.save()
    response = client.post(LOGOUT)
    assert response.status_code == 302 and response.url == reverse("portal:home")
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("method", ["cas", "shibboleth", "educonnect"])
def test_a_federated_session_ends_at_the_identity_provider(client, world, method):
    client.force_login(world.pupil)
    session = client.session
    session["auth_method"] = method
    session.save()
    response = client.post(LOGOUT)
    assert response.status_code == 302 and response.url == reverse("federation:logout")


def test_signing_out_anonymously_is_harmless(client, world):
    assert client.post(LOGOUT).url == reverse("portal:home")


# --- The router after sign-in ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("operator", "staff:home"),
        ("master_referent", "staff:home"),
        ("establishment_referent", "staff:home"),
        ("host_referent", "staff:home"),
        ("speaker", "staff:home"),
        ("high_school_referent", "staff:home"),
        ("legal", "staff:home"),
        ("consultant", "staff:home"),
        ("pupil", "records:home"),
        ("student", "records:home"),
        ("visitor", "records:home"),
    ],
)
def test_after_sign_in_each_role_lands_at_home(client, world, who, target):
    client.force_login(getattr(world, who))
    response = client.get(AFTER)
    assert response.status_code == 302 and response.url == reverse(target)


def test_after_sign_in_follows_a_safe_next_only(client, world):
    client.force_login(world.pupil)
    assert client.get(AFTER, {"next": "/documents/"}).url == "/documents/"
    assert client.get(AFTER, {"next": "https://evil.example.org/"}).url == reverse("records:home")


def test_after_sign_in_sends_anonymous_people_to_sign_in(client, world):
    response = client.get(AFTER)
    assert response.status_code == 302 and response.url.startswith(reverse("federation:sign_in"))


def test_a_person_signs_in_on_any_site_and_sees_it_through_their_roles_there(client, world, other_world):
    beta = Client(HTTP_HOST="beta.localhost")
    response = _login(beta, world.pupil.email)
    assert response.status_code == 302 and response.url == AFTER
    response = beta.get(AFTER)
    assert response.url == reverse("records:home")
    assert beta.get(response.url).status_code == 200
    with platform_job():
        assert not RoleAssignment.objects.filter(user=world.pupil, site=other_world.site).exists()
    # A staff member of site A is nobody's staff on site B.
    beta = Client(HTTP_HOST="beta.localhost")
    _login(beta, world.speaker.email)
    assert beta.get(AFTER).url == reverse("records:home")
