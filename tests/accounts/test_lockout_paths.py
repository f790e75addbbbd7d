"""Every sign-in path that checks a password shares one lock-out per account.

The paths: the site's form (``/account/login/``, field ``email``) and the admin's
(``/admin/login/``, field ``username``). Federated sign-ins (CAS, SAML) check no password
here. Five failures, on any mix of paths and spellings of the address, lock the account
out on every path; the right password is then refused with the project's lock-out page.
"""

import axes.utils
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import make_user

from .local_helpers import signed_in_user_id

PASSWORD = "a-long-test-password"  # tests.factories.make_user
WRONG = "a-wrong-password-indeed"
ADMIN_INDEX = reverse("admin:index")

#: Every password sign-in path: its URL and the name of its address field.
PATHS = {
    "site": (reverse("accounts:login"), "email"),
    "admin": (reverse("admin:login"), "username"),
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True
    axes.utils.reset()
    yield
    axes.utils.reset()


def attempt(client, path, address, password):
    url, field = PATHS[path]
    data = {field: address, "password": password}
    if path == "admin":
        data["next"] = ADMIN_INDEX
    return client.post(url, data)


def is_locked_out_page(response):
    return response.status_code == 429 and "accounts/locked_out.html" in [t.name for t in response.templates]


def signed_in(response, client):
    return response.status_code == 302 and signed_in_user_id(client) is not None


@pytest.mark.parametrize("path", PATHS)
def test_the_right_password_signs_in_on_each_path(client, world, path):
    response = attempt(client, path, world.master_referent.email, PASSWORD)
    assert signed_in(response, client)
    assert signed_in_user_id(client) == str(world.master_referent.pk)


@pytest.mark.parametrize("path", PATHS)
def test_five_failures_lock_the_account_out_on_each_path(client, world, path):
    email = world.master_referent.email
    for _ in range(4):
        assert attempt(client, path, email, WRONG).status_code == 200
    assert is_locked_out_page(attempt(client, path, email, WRONG))

    response = attempt(client, path, email, PASSWORD)
    assert is_locked_out_page(response)
    assert signed_in_user_id(client) is None
    # Another account from the same address is not locked out.
    other = Client()
    assert signed_in(attempt(other, path, world.operator.email, PASSWORD), other)


@pytest.mark.parametrize(("first", "then"), [("site", "admin"), ("admin", "site")])
def test_failures_on_one_path_count_on_the_other(client, world, first, then):
    email = world.master_referent.email
    spellings = [email, email.upper(), f"  {email.capitalize()} "]
    for spelling in spellings:
        assert attempt(client, first, spelling, WRONG).status_code == 200
    assert attempt(client, then, email.upper(), WRONG).status_code == 200
    assert is_locked_out_page(attempt(client, then, email, WRONG))

    for path in PATHS:
        assert is_locked_out_page(attempt(client, path, email, PASSWORD))
    assert signed_in_user_id(client) is None


def test_a_success_on_one_path_resets_the_count_of_both(client, world):
    email = world.master_referent.email
    for _ in range(4):
        attempt(client, "admin", email, WRONG)
    assert signed_in(attempt(client, "site", email, PASSWORD), client)
    client.logout()
    for _ in range(4):
        assert attempt(client, "admin", email, WRONG).status_code == 200
    assert signed_in(attempt(client, "admin", email, PASSWORD), client)


def test_a_right_password_the_admin_refuses_counts_as_a_failure(client, world):
    """Otherwise the lock-out coming one attempt late would tell the password was right."""
    email = world.pupil.email
    for _ in range(4):
        attempt(client, "site", email, WRONG)
    assert is_locked_out_page(attempt(client, "admin", email, PASSWORD))
    assert is_locked_out_page(attempt(client, "site", email, PASSWORD))
    assert signed_in_user_id(client) is None


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL's UPPER() maps 'ı' and 'ſ' to ASCII letters"
)
def test_spellings_the_database_matches_share_the_account_count(client, world):
    person = make_user("iris@example.org")
    spellings = ["\u0131ris@example.org", "ir\u0131s@example.org", "\u0131r\u0131s@example.org"]
    spellings += ["iri\u017f@example.org", "\u0131ri\u017f@example.org"]
    # The database takes such a spelling for the account: with the right password, it signs in.
    other = Client()
    assert signed_in(attempt(other, "site", spellings[0], PASSWORD), other)
    assert signed_in_user_id(other) == str(person.pk)
    for number, spelling in enumerate(spellings):
        response = attempt(client, "admin" if number % 2 else "site", spelling, WRONG)
        assert response.status_code == (429 if number == 4 else 200)
    assert is_locked_out_page(attempt(client, "site", person.email, PASSWORD))
