"""staff:accept_invitation: the set-password link of an invitation, used once."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import AccountToken, Role
from apps.accounts.tokens import issue_token
from tests.factories import make_user
from tests.staff.conftest import invitation_token

User = get_user_model()
PASSWORD = "Correct-Horse-Battery-42"
PASSWORD_PAGE = reverse("staff:choose_password")


def accept_url(token):
    return reverse("staff:accept_invitation", args=[token])


def open_link(client, token, **extra):
    """Open the link of the e-mail as a browser does: it keeps the token in the session and
    redirects to the password page, whose address has none. That page's answer, or the link's."""
    response = client.get(accept_url(token), **extra)
    if response.status_code != 302:
        return response
    assert response.url == PASSWORD_PAGE
    return client.get(response.url, **extra)


def use_link(client, token, password=PASSWORD, again=None):
    """Open the link, then post the password page's form."""
    response = client.get(accept_url(token))
    if response.status_code != 302:
        return response
    return client.post(response.url, {"new_password1": password, "new_password2": again or password})


@pytest.fixture
def invited(client, world, settings):
    """A structure referent invited by the establishment referent; the link of the e-mail."""
    settings.LOGIN_REDIRECT_URL = "staff:home"
    client.force_login(world.establishment_referent)
    response = client.post(
        reverse("staff:invite"),
        {
            "email": "grace@example.org",
            "first_name": "Grace",
            "last_name": "Hopper",
            "role": Role.STRUCTURE_REFERENT,
            "structure": world.structure.pk,
            "method": "local",
        },
    )
    assert response.status_code == 302
    client.logout()
    return invitation_token()


def test_invitation_accept_sign_in_with_the_role(client, world, invited):
    assert mail.outbox[0].to == ["grace@example.org"]
    page = open_link(client, invited)
    assert page.status_code == 200
    assert b"grace@example.org" in page.content
    assert b'name="referrer"' not in page.content  # no policy of its own: a form under no-referrer posts Origin: null

    response = use_link(client, invited)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:home")
    user = User.objects.get(email="grace@example.org")
    assert user.is_active and user.check_password(PASSWORD)
    assert user.email_confirmed_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["auth_method"] == "local"
    home = client.get(reverse("staff:home"))
    assert home.status_code == 200
    (assignment,) = home.context["summary"].assignments
    assert (assignment.role, assignment.structure) == (Role.STRUCTURE_REFERENT, world.structure)
    assert assignment.granted_by == world.establishment_referent


def test_the_link_works_once(client, world, invited):
    use_link(client, invited)
    client.logout()
    assert client.get(accept_url(invited)).status_code == 410
    assert client.get(PASSWORD_PAGE).status_code == 410
    response = use_link(client, invited, "x" + PASSWORD)
    assert response.status_code == 410
    assert b"invitation-invalid" in response.content
    assert User.objects.get(email="grace@example.org").check_password(PASSWORD)
    assert "_auth_user_id" not in client.session


def test_a_weak_password_is_refused_and_the_link_kept(client, world, invited):
    response = use_link(client, invited, "password")
    assert response.status_code == 400
    assert b'id="id_new_password2_error"' in response.content
    user = User.objects.get(email="grace@example.org")
    assert not user.is_active and not user.has_usable_password()
    assert client.post(PASSWORD_PAGE, {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code == 302
    assert User.objects.get(email="grace@example.org").check_password(PASSWORD)


def test_forged_expired_and_foreign_links_are_refused(client, world, other_world, invited):
    assert client.get(accept_url("forged-token-value")).status_code == 410
    assert client.get(accept_url("x" * 150)).status_code == 410
    AccountToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(accept_url(invited)).status_code == 410
    assert use_link(client, invited).status_code == 410
    # a link issued on another site does not work here
    person = make_user()
    raw = issue_token(person, AccountToken.Purpose.INVITATION, site=other_world.site)
    assert client.get(accept_url(raw)).status_code == 410
    assert open_link(client, raw, HTTP_HOST="beta.localhost").status_code == 200
    assert client.get(PASSWORD_PAGE).status_code == 410  # kept in the session, still not for this site
    # nor does a token of another purpose
    raw = issue_token(person, AccountToken.Purpose.PASSWORD_RESET, site=world.site)
    assert client.get(accept_url(raw)).status_code == 410


def test_a_new_invitation_replaces_the_earlier_link(client, world, invited):
    client.force_login(world.establishment_referent)
    client.post(
        reverse("staff:invite"),
        {
            "email": "grace@example.org",
            "first_name": "Grace",
            "last_name": "Hopper",
            "role": Role.STRUCTURE_CONSULTANT,
            "structure": world.other_structure.pk,
            "method": "local",
        },
    )
    client.logout()
    second = invitation_token()
    assert second and second != invited
    assert User.objects.filter(email="grace@example.org").count() == 1
    assert client.get(accept_url(invited)).status_code == 410
    assert open_link(client, second).status_code == 200


def test_accepting_lands_on_the_after_sign_in_router(client, world, invited, settings):
    settings.LOGIN_REDIRECT_URL = "accounts:after_sign_in"
    response = use_link(client, invited)
    assert response["Location"] == reverse("accounts:after_sign_in")
    assert client.get(response["Location"])["Location"] == reverse("staff:home")


def test_a_pending_invitation_survives_the_purge_of_unactivated_accounts(world, invited):
    from apps.accounts.services import delete_unactivated_accounts

    later = timezone.now() + timedelta(days=13)
    delete_unactivated_accounts(now=later)
    assert User.objects.filter(email="grace@example.org").exists()
