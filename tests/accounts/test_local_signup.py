"""Sign-up, activation e-mail, activation link, new activation link."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import AccountToken, Role, RoleAssignment, User
from apps.accounts.tokens import issue_token
from apps.records.models import PupilRecord, VisitorRecord
from apps.tenancy.scoping import platform_job
from tests.factories import make_user

from .local_helpers import (
    PASSWORD,
    link_to,
    links,
    open_link,
    set_window,
    signed_in_user_id,
    signup_data,
    token_of,
    use_link,
)

SIGNUP = reverse("accounts:signup")
SENT = reverse("accounts:mail_sent", kwargs={"kind": "signup"})


def _sign_up(client, **overrides):
    return client.post(SIGNUP, signup_data(**overrides))


@pytest.mark.parametrize("population", ["pupil", "visitor", "", "garbage"])
def test_the_sign_up_page_opens_with_the_population_chosen(client, world, population):
    response = client.get(SIGNUP, {"population": population})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="population"' in content
    if population in ("pupil", "visitor"):
        assert f'value="{population}"' in content.split("checked")[0].rsplit("<input", 1)[-1]


def test_sign_up_activation_and_first_sign_in_end_to_end(client, world, mailoutbox):
    response = _sign_up(client, email="New.Pupil@Example.org", first_name="D'Artagnan")
    assert response.status_code == 302 and response.url == SENT
    assert client.get(SENT).status_code == 200
    user = User.objects.get(email="new.pupil@example.org")
    assert not user.is_active and user.email_confirmed_at is None and user.last_login is None
    assert user.first_name == "D'Artagnan" and user.check_password(PASSWORD)
    with platform_job():
        assert RoleAssignment.objects.filter(site=world.site, user=user, role=Role.PUPIL).exists()
        assert PupilRecord.objects.filter(site=world.site, user=user).exists()
    assert signed_in_user_id(client) is None

    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["new.pupil@example.org"]
    assert "D'Artagnan" in mailoutbox[0].body  # plain text, not HTML-escaped
    link = link_to(mailoutbox[0], "accounts:activate")

    # Opening the link (as a mail scanner would) uses nothing up.
    page = open_link(client, link)
    assert page.status_code == 200
    user.refresh_from_db()
    assert not user.is_active

    response = use_link(client, link)
    assert response.status_code == 302 and response.url == reverse("accounts:after_sign_in")
    user.refresh_from_db()
    assert user.is_active and user.email_confirmed_at is not None and user.last_login is not None
    assert signed_in_user_id(client) == str(user.pk)
    assert client.session["auth_method"] == "local"
    assert client.get(response.url).url == reverse("records:home")
    assert client.get(reverse("records:home")).status_code == 200


def test_a_visitor_gets_the_visitor_role_and_record(client, world, mailoutbox):
    _sign_up(client, population="visitor", email="visitor.new@example.org")
    user = User.objects.get(email="visitor.new@example.org")
    with platform_job():
        assert list(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == [Role.VISITOR]
        assert VisitorRecord.objects.filter(site=world.site, user=user).exists()


def test_an_activation_link_works_once(client, world, mailoutbox):
    _sign_up(client)
    link = link_to(mailoutbox[0], "accounts:activate")
    assert use_link(client, link).status_code == 302
    client.logout()
    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 410
        assert reverse("accounts:resend_activation") in response.content.decode()
    assert signed_in_user_id(client) is None


def test_an_expired_activation_link_is_refused(client, world, mailoutbox):
    _sign_up(client)
    link = link_to(mailoutbox[0], "accounts:activate")
    AccountToken.objects.update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get(link).status_code == 410
    assert client.post(link).status_code == 410
    assert not User.objects.get(email="new.pupil@example.org").is_active


@pytest.mark.parametrize("token", ["guessed", "A" * 43, "x" * 150, "%00", "..%2F..%2Fadmin"])
def test_forged_activation_links_are_refused(client, world, mailoutbox, token):
    _sign_up(client)
    path = reverse("accounts:activate", args=["T"]).replace("/T/", f"/{token}/")
    assert client.get(path).status_code in (400, 404, 410)  # 400: a control character in the address
    assert client.post(path).status_code in (400, 404, 410)
    assert not User.objects.get(email="new.pupil@example.org").is_active


def test_a_token_of_another_purpose_does_not_activate(client, world):
    user = make_user(is_active=False)
    raw = issue_token(user, AccountToken.Purpose.PASSWORD_RESET, site=world.site)
    assert client.post(reverse("accounts:activate", args=[raw])).status_code == 410
    user.refresh_from_db()
    assert not user.is_active


def test_tokens_are_stored_hashed(client, world, mailoutbox):
    _sign_up(client)
    raw = token_of(link_to(mailoutbox[0], "accounts:activate"))
    rows = list(AccountToken.objects.values())
    assert len(rows) == 1
    assert all(raw not in str(value) for row in rows for value in row.values())


def test_signing_up_with_a_taken_address_tells_nothing_and_writes_to_its_owner(client, world, mailoutbox):
    first = _sign_up(client, email="someone.new@example.org")
    users = User.objects.count()
    mailoutbox.clear()
    second = _sign_up(client, email=world.pupil.email.upper(), first_name="Mallory")
    assert (second.status_code, second.url) == (first.status_code, first.url)
    assert User.objects.count() == users
    world.pupil.refresh_from_db()
    assert world.pupil.first_name != "Mallory" and world.pupil.check_password("a-long-test-password")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [world.pupil.email]
    paths = links(mailoutbox[0])
    assert reverse("accounts:login") in paths and reverse("accounts:password_reset") in paths
    assert not any(path.startswith(reverse("accounts:activate", args=["T"])[:-3]) for path in paths)


def test_signing_up_again_before_activation_sends_a_new_link_only(client, world, mailoutbox):
    _sign_up(client)
    old_link = link_to(mailoutbox[0], "accounts:activate")
    _sign_up(client, password1="another-long-passphrase", password2="another-long-passphrase")
    assert User.objects.filter(email="new.pupil@example.org").count() == 1
    new_link = link_to(mailoutbox[1], "accounts:activate")
    assert use_link(client, old_link).status_code == 410
    assert use_link(client, new_link).status_code == 302
    assert User.objects.get(email="new.pupil@example.org").check_password(PASSWORD)


@pytest.mark.parametrize(
    "overrides",
    [
        {"password2": "not-the-same-passphrase"},
        {"password1": "short", "password2": "short"},
        {"password1": "password1234", "password2": "password1234"},
        {"password1": "381947265019", "password2": "381947265019"},
        {"password1": "new.pupil@example.org", "password2": "new.pupil@example.org"},
        {"email": "not-an-address"},
        {"email": ""},
        {"first_name": ""},
        {"population": "student"},
        {"population": "master_referent"},
    ],
)
def test_bad_sign_up_input_changes_nothing(client, world, mailoutbox, overrides):
    users = User.objects.count()
    response = _sign_up(client, **overrides)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode() or "population" in overrides
    assert 'class="alert alert-danger"' in response.content.decode()
    assert User.objects.count() == users and mailoutbox == []


@pytest.mark.parametrize("window", [{"opens_in": 10}, {"ended": True}, {"no_year": True}])
def test_sign_up_is_refused_with_a_clear_page_when_the_window_is_closed(client, world, mailoutbox, window):
    set_window(world, **window)
    for response in (client.get(SIGNUP), _sign_up(client)):
        assert response.status_code == 403
        assert "accounts/closed.html" in [t.name for t in response.templates]
    assert not User.objects.filter(email="new.pupil@example.org").exists() and mailoutbox == []


def test_an_activation_after_the_window_closed_activates_without_signing_in(client, world, mailoutbox):
    _sign_up(client)
    link = link_to(mailoutbox[0], "accounts:activate")
    set_window(world, ended=True)
    assert use_link(client, link).status_code == 403
    assert User.objects.get(email="new.pupil@example.org").is_active
    assert signed_in_user_id(client) is None


def test_a_signed_in_person_is_sent_on(client, world):
    client.force_login(world.pupil)
    assert client.get(SIGNUP).url == reverse("accounts:after_sign_in")


RESEND = reverse("accounts:resend_activation")
RESENT = reverse("accounts:mail_sent", kwargs={"kind": "activation"})


def test_a_new_activation_link_revokes_the_old_one(client, world, mailoutbox):
    _sign_up(client)
    old_link = link_to(mailoutbox[0], "accounts:activate")
    assert client.get(RESEND).status_code == 200
    response = client.post(RESEND, {"email": " NEW.pupil@example.org "})
    assert response.url == RESENT and client.get(RESENT).status_code == 200
    new_link = link_to(mailoutbox[1], "accounts:activate")
    assert use_link(client, old_link).status_code == 410
    assert use_link(client, new_link).status_code == 302


@pytest.mark.parametrize("who", ["nobody", "active"])
def test_a_new_activation_link_tells_nothing(client, world, mailoutbox, who):
    email = "nobody@example.org" if who == "nobody" else world.pupil.email
    response = client.post(RESEND, {"email": email})
    assert response.status_code == 302 and response.url == RESENT
    assert mailoutbox == []


def test_a_new_activation_link_needs_an_address(client, world, mailoutbox):
    response = client.post(RESEND, {"email": "nope"})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    assert client.get(reverse("accounts:mail_sent", kwargs={"kind": "unknown"})).status_code == 404
