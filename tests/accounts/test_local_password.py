"""Password reset (forgotten password) and password change."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import AccountToken
from apps.accounts.tokens import issue_token, peek_token
from tests.factories import make_user

from .local_helpers import link_to, open_link, signed_in_user_id, token_of, use_link

RESET = reverse("accounts:password_reset")
RESET_SENT = reverse("accounts:mail_sent", kwargs={"kind": "password_reset"})
NEW = "a-brand-new-passphrase"


def _ask(client, email):
    return client.post(RESET, {"email": email})


def _choose(client, link, password=NEW, again=None):
    return use_link(client, link, {"new_password1": password, "new_password2": again or password})


def test_the_reset_page_opens(client, world):
    assert client.get(RESET).status_code == 200


def test_a_password_reset_end_to_end(client, world, mailoutbox):
    response = _ask(client, f" {world.pupil.email.upper()} ")
    assert response.status_code == 302 and response.url == RESET_SENT
    assert client.get(RESET_SENT).status_code == 200
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [world.pupil.email]
    link = link_to(mailoutbox[0], "accounts:password_reset_confirm")

    assert open_link(client, link).status_code == 200
    response = _choose(client, link)
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    world.pupil.refresh_from_db()
    assert world.pupil.check_password(NEW) and world.pupil.email_confirmed_at is not None
    login = client.post(reverse("accounts:login"), {"email": world.pupil.email, "password": NEW})
    assert login.status_code == 302 and signed_in_user_id(client) == str(world.pupil.pk)
    client.logout()
    # A second use is refused.
    assert open_link(client, link).status_code == 410
    assert _choose(client, link, "yet-another-passphrase").status_code == 410
    world.pupil.refresh_from_db()
    assert world.pupil.check_password(NEW)


def test_asking_for_an_unknown_address_looks_the_same(client, world, mailoutbox):
    known = _ask(client, world.pupil.email)
    unknown = _ask(client, "nobody@example.org")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert [m.to for m in mailoutbox] == [[world.pupil.email]]


def test_no_reset_for_people_without_a_password_or_switched_off(client, world, mailoutbox):
    federated = make_user()
    federated.set_unusable_password()
    federated.save()
    switched_off = make_user(is_active=False)
    switched_off.last_login = timezone.now()
    switched_off.save()
    for person in (federated, switched_off):
        assert _ask(client, person.email).url == RESET_SENT
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("password", "again"),
    [("short", None), ("password1234", None), ("981273645012", None), (NEW, "something-else-entirely"), ("", None)],
)
def test_a_bad_new_password_keeps_the_link_usable(client, world, mailoutbox, password, again):
    _ask(client, world.pupil.email)
    link = link_to(mailoutbox[0], "accounts:password_reset_confirm")
    response = _choose(client, link, password, again)
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    assert peek_token(token_of(link), AccountToken.Purpose.PASSWORD_RESET) is not None
    world.pupil.refresh_from_db()
    assert world.pupil.check_password("a-long-test-password")


def test_an_expired_or_foreign_reset_link_is_refused(client, world, mailoutbox):
    _ask(client, world.pupil.email)
    link = link_to(mailoutbox[0], "accounts:password_reset_confirm")
    AccountToken.objects.update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    assert open_link(client, link).status_code == 410
    assert _choose(client, link).status_code == 410
    activation = issue_token(world.pupil, AccountToken.Purpose.ACTIVATION, site=world.site)
    assert client.get(reverse("accounts:password_reset_confirm", args=[activation])).status_code == 410
    assert client.get(reverse("accounts:password_reset_confirm", args=["guessed-token"])).status_code == 410
    world.pupil.refresh_from_db()
    assert world.pupil.check_password("a-long-test-password")


def test_a_reset_proves_the_address_of_an_account_never_activated(client, world, mailoutbox):
    person = make_user(is_active=False)
    _ask(client, person.email)
    _choose(client, link_to(mailoutbox[0], "accounts:password_reset_confirm"))
    person.refresh_from_db()
    assert person.is_active and person.email_confirmed_at is not None and person.check_password(NEW)


def test_a_reset_ends_the_other_sessions(client, world, mailoutbox):
    elsewhere = Client()
    elsewhere.force_login(world.pupil)
    client.force_login(world.pupil)
    _ask(client, world.pupil.email)
    _choose(client, link_to(mailoutbox[0], "accounts:password_reset_confirm"))
    assert signed_in_user_id(client) == str(world.pupil.pk)  # this browser stays signed in
    assert client.get(reverse("accounts:after_sign_in")).status_code == 302
    assert elsewhere.get(reverse("accounts:after_sign_in")).url.startswith(reverse("federation:sign_in"))


def test_a_reset_asked_twice_keeps_only_the_last_link(client, world, mailoutbox):
    _ask(client, world.pupil.email)
    _ask(client, world.pupil.email)
    first, second = (link_to(m, "accounts:password_reset_confirm") for m in mailoutbox)
    assert open_link(client, first).status_code == 410
    assert open_link(client, second).status_code == 200


# --- Password change ------------------------------------------------------------------------

CHANGE = reverse("accounts:password_change")


def test_changing_the_password_needs_to_be_signed_in(client, world):
    response = client.get(CHANGE)
    assert response.status_code == 302 and response.url.startswith(reverse("federation:sign_in"))
    assert client.post(CHANGE, {"old_password": "x"}).status_code == 302


def test_changing_the_password(client, world):
    elsewhere = Client()
    elsewhere.force_login(world.pupil)
    client.force_login(world.pupil)
    assert client.get(CHANGE).status_code == 200
    wrong = client.post(CHANGE, {"old_password": "not-my-password", "new_password1": NEW, "new_password2": NEW})
    assert wrong.status_code == 200 and 'aria-invalid="true"' in wrong.content.decode()
    weak = client.post(CHANGE, {"old_password": "a-long-test-password", "new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 200
    response = client.post(CHANGE, {"old_password": "a-long-test-password", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    world.pupil.refresh_from_db()
    assert world.pupil.check_password(NEW)
    assert signed_in_user_id(client) == str(world.pupil.pk)
    assert client.get(reverse("accounts:after_sign_in")).url == reverse("records:home")
    assert elsewhere.get(reverse("accounts:after_sign_in")).url.startswith(reverse("federation:sign_in"))


def test_people_without_a_password_are_told_where_it_lives(client, world):
    world.pupil.set_unusable_password()
    world.pupil.save()
    client.force_login(world.pupil)
    response = client.get(CHANGE)
    assert response.status_code == 200 and 'name="old_password"' not in response.content.decode()
