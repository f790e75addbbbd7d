"""A person invited with a local account who never chose a password: every "send me a link" page
(forgotten password, new activation link, sign-up) sends a new invitation link, the earlier
ones stop working, and each page answers exactly as for any other address."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from apps.accounts.models import AccountToken, Role
from apps.accounts.policy import actor_for
from apps.staff import services
from apps.tenancy.scoping import for_site
from tests.accounts.local_helpers import signup_data
from tests.factories import grant, make_user
from tests.staff.conftest import invitation_token

User = get_user_model()
PASSWORD = "Correct-Horse-Battery-42"
PASSWORD_PAGE = reverse("staff:choose_password")


def invite(world, email="grace@example.org", by=None, method=services.InvitationMethod.LOCAL):
    with for_site(world.site):
        return services.invite(
            actor_for(by or world.establishment_referent, world.site),
            world.site,
            email=email,
            first_name="Grace",
            last_name="Hopper",
            role=Role.STRUCTURE_REFERENT,
            method=method,
            structure=world.structure,
        )


def reset(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def resend(client, email):
    return client.post(reverse("accounts:resend_activation"), {"email": email})


def sign_up(client, email):
    return client.post(reverse("accounts:signup"), signup_data(email=email))


def accept(client, token):
    opened = client.get(reverse("staff:accept_invitation", args=[token]))
    if opened.status_code != 302:
        return opened
    return client.post(opened.url, {"new_password1": PASSWORD, "new_password2": PASSWORD})


@pytest.mark.parametrize("ask", [reset, resend, sign_up])
def test_a_lost_invitation_is_sent_again(client, world, ask):
    invite(world)
    first = invitation_token()
    mail.outbox.clear()

    unknown = ask(client, "nobody.here@example.org")
    assert len(mail.outbox) == (1 if ask is sign_up else 0)  # a sign-up creates that account
    mail.outbox.clear()
    answer = ask(client, "Grace@Example.org ")
    assert (answer.status_code, answer.url) == (unknown.status_code, unknown.url)

    (message,) = mail.outbox
    assert message.to == ["grace@example.org"]
    assert "Sciences" in message.body  # the role's scope, as in the first invitation
    second = invitation_token(message)
    assert second and second != first
    assert "/account/activation/" not in message.body and "/account/password/" not in message.body
    assert accept(client, first).status_code == 410  # the earlier link no longer works
    response = accept(client, second)
    assert response.status_code == 302
    grace = User.objects.get(email="grace@example.org")
    assert grace.is_active and grace.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(grace.pk)


def test_the_renewed_invitation_names_the_site_when_the_inviter_is_gone(client, world):
    inviter = make_user()
    grant(inviter, world.site, Role.MASTER_REFERENT)
    invite(world, by=inviter)
    inviter.delete()
    mail.outbox.clear()
    reset(client, "grace@example.org")
    (message,) = mail.outbox
    assert world.site.name in message.body and invitation_token(message)


def test_no_invitation_where_the_person_holds_no_role(client, world, other_world):
    invite(world)
    mail.outbox.clear()
    response = reset(client, "grace@example.org").url
    assert response == reset(client, "nobody@example.org").url
    other = client.post(reverse("accounts:password_reset"), {"email": "grace@example.org"}, HTTP_HOST="beta.localhost")
    assert other.status_code == 302
    assert [m.to for m in mail.outbox] == [["grace@example.org"]]  # the one of the first site only
    assert AccountToken.objects.filter(purpose=AccountToken.Purpose.INVITATION, used_at__isnull=True).count() == 1


def test_people_who_chose_their_password_get_a_reset_link_and_federated_ones_nothing(client, world):
    invite(world)
    accept(client, invitation_token())
    client.logout()
    invite(world, email="ada@example.org", method=services.InvitationMethod.FEDERATED)
    mail.outbox.clear()
    reset(client, "grace@example.org")
    reset(client, "ada@example.org")
    (message,) = mail.outbox
    assert message.to == ["grace@example.org"] and "/account/password/reset/" in message.body
    assert invitation_token(message) is None
