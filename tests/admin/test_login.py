"""The admin's sign-in form lets in only the people the admin serves on the current site.

Everybody else gets the answer a wrong password gets, and no session. The lock-out the
admin form shares with the site's form is tested in tests/accounts/test_lockout_paths.py.
"""

import pytest
from django.urls import reverse

from apps.accounts.models import Role, User
from tests.factories import grant, make_user

from .conftest import BETA

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
PASSWORD = "a-long-test-password"  # tests.factories.make_user


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, "next": INDEX}, **extra)


def errors(response):
    return list(response.context["form"].non_field_errors())


def session_user(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("who", ["operator", "master_referent"])
def test_the_operator_and_the_master_referent_sign_in(client, world, who):
    user = getattr(world, who)
    response = sign_in(client, f" {user.email.upper()}")
    assert response.status_code == 302 and response.url == INDEX
    assert session_user(client) == str(user.pk)
    assert client.get(INDEX).status_code == 200


@pytest.mark.parametrize(
    "who", ["pupil", "student", "visitor", "speaker", "structure_referent", "establishment_referent", "legal"]
)
def test_anyone_else_is_refused_as_if_the_password_were_wrong(client, world, who):
    user = getattr(world, who)
    wrong = sign_in(client, user.email, "a-wrong-password-indeed")
    right = sign_in(client, user.email)
    assert right.status_code == wrong.status_code == 200
    assert errors(right) == errors(wrong) and errors(right)
    assert session_user(client) is None
    assert client.get(INDEX).status_code == 302


def test_a_master_referent_of_another_site_is_refused_here_and_admitted_at_home(client, world, other_world):
    master = other_world.master_referent
    response = sign_in(client, master.email)
    assert response.status_code == 200 and errors(response)
    assert session_user(client) is None
    response = sign_in(client, master.email, HTTP_HOST=BETA)
    assert response.status_code == 302 and session_user(client) == str(master.pk)


def test_an_inactive_master_referent_is_refused(client, world):
    world.master_referent.is_active = False
    world.master_referent.save()
    response = sign_in(client, world.master_referent.email)
    assert response.status_code == 200 and errors(response)
    assert session_user(client) is None


def test_is_staff_means_may_use_the_admin_on_some_site(world, other_world):
    assert world.operator.is_staff
    assert world.master_referent.is_staff
    assert other_world.master_referent.is_staff
    for who in ("pupil", "visitor", "structure_referent", "establishment_referent", "high_school_referent"):
        assert not getattr(world, who).is_staff, who
    newcomer = make_user()
    assert not newcomer.is_staff
    grant(newcomer, world.site, Role.MASTER_REFERENT)
    assert User.objects.get(pk=newcomer.pk).is_staff
    newcomer.is_active = False
    assert not newcomer.is_staff
    assert not User(email="unsaved@example.org").is_staff
