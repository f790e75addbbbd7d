"""E-mail change with re-verification of the new address."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import AccountToken, User
from apps.accounts.tokens import issue_token
from apps.records.models import PupilRecord
from apps.tenancy.scoping import platform_job
from tests.factories import make_user

from .local_helpers import link_to, links, open_link, use_link

CHANGE = reverse("accounts:email_change")
SENT = reverse("accounts:mail_sent", kwargs={"kind": "email_change"})
PASSWORD = "a-long-test-password"  # tests.factories.make_user


def _ask(client, new_email, password=PASSWORD):
    return client.post(CHANGE, {"new_email": new_email, "password": password})


def _by_recipient(mailoutbox):
    return {message.to[0]: message for message in mailoutbox}


def test_changing_the_address_needs_to_be_signed_in(client, world, mailoutbox):
    response = client.get(CHANGE)
    assert response.status_code == 302 and response.url.startswith(reverse("federation:sign_in"))
    assert _ask(client, "new@example.org").status_code == 302 and mailoutbox == []


def test_an_e_mail_change_end_to_end(client, world, mailoutbox):
    old = world.pupil.email
    client.force_login(world.pupil)
    assert client.get(CHANGE).status_code == 200
    response = _ask(client, " New.Address@Example.org ")
    assert response.status_code == 302 and response.url == SENT
    assert client.get(SENT).status_code == 200
    world.pupil.refresh_from_db()
    assert world.pupil.email == old  # nothing changes before the new address is proven

    mails = _by_recipient(mailoutbox)
    assert set(mails) == {old, "new.address@example.org"}
    assert "new.address@example.org" in mails[old].body and reverse("accounts:password_reset") in links(mails[old])
    link = link_to(mails["new.address@example.org"], "accounts:email_change_confirm")

    page = open_link(client, link)
    assert page.status_code == 200 and "new.address@example.org" in page.content.decode()
    response = use_link(client, link)
    assert response.status_code == 302 and response.url == reverse("accounts:after_sign_in")
    world.pupil.refresh_from_db()
    assert world.pupil.email == "new.address@example.org" and world.pupil.email_confirmed_at is not None
    # The new address signs in; the link works once.
    client.logout()
    login = client.post(reverse("accounts:login"), {"email": "new.address@example.org", "password": PASSWORD})
    assert login.status_code == 302
    assert use_link(client, link).status_code == 410 and open_link(client, link).status_code == 410


def test_the_link_works_in_another_browser_too(client, world, mailoutbox):
    client.force_login(world.pupil)
    _ask(client, "new.address@example.org")
    link = link_to(_by_recipient(mailoutbox)["new.address@example.org"], "accounts:email_change_confirm")
    client.logout()
    response = use_link(client, link)
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    world.pupil.refresh_from_db()
    assert world.pupil.email == "new.address@example.org"


def test_a_taken_address_looks_free_and_its_owner_is_told(client, world, mailoutbox):
    client.force_login(world.pupil)
    free = _ask(client, "free.address@example.org")
    mailoutbox.clear()
    AccountToken.objects.all().delete()
    taken = _ask(client, world.student.email.upper())
    assert (taken.status_code, taken.url) == (free.status_code, free.url)
    mails = _by_recipient(mailoutbox)
    assert set(mails) == {world.pupil.email, world.student.email}
    assert not any("/account/e-mail/" in path for path in links(mails[world.student.email]))
    assert not AccountToken.objects.filter(purpose=AccountToken.Purpose.EMAIL_CHANGE).exists()
    world.pupil.refresh_from_db()
    assert world.pupil.email != world.student.email


def test_an_address_taken_meanwhile_is_refused_at_confirmation(client, world, mailoutbox):
    client.force_login(world.pupil)
    _ask(client, "wanted@example.org")
    link = link_to(_by_recipient(mailoutbox)["wanted@example.org"], "accounts:email_change_confirm")
    make_user("wanted@example.org")
    response = use_link(client, link)
    assert response.status_code == 410
    world.pupil.refresh_from_db()
    assert world.pupil.email != "wanted@example.org"
    assert User.objects.filter(email="wanted@example.org").count() == 1


@pytest.mark.parametrize(
    ("new_email", "password"),
    [("new@example.org", "not-my-password"), ("new@example.org", ""), ("not-an-address", PASSWORD), ("", PASSWORD)],
)
def test_bad_input_changes_nothing(client, world, mailoutbox, new_email, password):
    client.force_login(world.pupil)
    response = _ask(client, new_email, password)
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    assert mailoutbox == [] and not AccountToken.objects.exists()


def test_the_current_address_is_not_a_change(client, world, mailoutbox):
    client.force_login(world.pupil)
    response = _ask(client, world.pupil.email.upper())
    assert response.status_code == 200 and mailoutbox == []


def test_an_educonnect_pupil_changes_their_address_without_a_password(client, world, mailoutbox):
    with platform_job():
        PupilRecord.objects.filter(pk=world.pupil_record.pk).update(identity_locked=True)
    world.pupil.set_unusable_password()
    world.pupil.save()
    client.force_login(world.pupil)
    page = client.get(CHANGE)
    assert page.status_code == 200 and 'name="password"' not in page.content.decode()
    assert client.post(CHANGE, {"new_email": "pupil.new@example.org"}).url == SENT
    link = link_to(_by_recipient(mailoutbox)["pupil.new@example.org"], "accounts:email_change_confirm")
    use_link(client, link)
    world.pupil.refresh_from_db()
    assert world.pupil.email == "pupil.new@example.org"


def test_expired_foreign_and_forged_links_are_refused(client, world, mailoutbox):
    client.force_login(world.pupil)
    _ask(client, "new.address@example.org")
    link = link_to(_by_recipient(mailoutbox)["new.address@example.org"], "accounts:email_change_confirm")
    AccountToken.objects.update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert use_link(client, link).status_code == 410
    reset = issue_token(world.pupil, AccountToken.Purpose.PASSWORD_RESET, site=world.site)
    assert client.post(reverse("accounts:email_change_confirm", args=[reset])).status_code == 410
    assert client.get(reverse("accounts:email_change_confirm", args=["x" * 43])).status_code == 410
    world.pupil.refresh_from_db()
    assert world.pupil.email != "new.address@example.org"
