"""A signed-in person's password checks count like sign-ins and share their lock-out.

Changing the password, changing the e-mail address and deleting the account ask for the
current password. Whoever holds a session (a shared computer left signed in) must not guess
it without limit there: each wrong password counts against the account's sign-in key, five
lock the account out (the project's lock-out page, 429) on these forms and on sign-in alike.
"""

import axes.utils
import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_user

PASSWORD = "a-long-test-password"  # tests.factories.make_user
WRONG = "a-wrong-password-indeed"

#: Each form that asks for the current password: its URL and the data of one attempt.
FORMS = {
    "password_change": (
        reverse("accounts:password_change"),
        lambda password: {
            "old_password": password,
            "new_password1": "Nouveau-mot-2031!",
            "new_password2": "Nouveau-mot-2031!",
        },
    ),
    "email_change": (
        reverse("accounts:email_change"),
        lambda password: {"new_email": "ailleurs@example.org", "password": password},
    ),
    "account_deletion": (reverse("privacy:delete"), lambda password: {"password": password}),
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True
    axes.utils.reset()
    yield
    axes.utils.reset()


def is_locked_out_page(response):
    return response.status_code == 429 and "accounts/locked_out.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("form", FORMS)
def test_wrong_current_passwords_lock_the_account_out(client, world, form):
    url, data = FORMS[form]
    person = make_user("guessed@example.org")
    client.force_login(person)
    for _ in range(4):
        response = client.post(url, data(WRONG))
        assert response.status_code in (200, 400) and not is_locked_out_page(response)
    assert is_locked_out_page(client.post(url, data(WRONG)))
    # Locked out: the right password is refused here, nothing changes, and sign-in is refused too.
    assert is_locked_out_page(client.post(url, data(PASSWORD)))
    person.refresh_from_db()
    assert person.email == "guessed@example.org" and person.check_password(PASSWORD)
    other = Client()
    response = other.post(reverse("accounts:login"), {"email": person.email, "password": PASSWORD})
    assert is_locked_out_page(response)


@pytest.mark.parametrize("form", FORMS)
def test_the_right_password_still_works_before_the_limit(client, world, form):
    url, data = FORMS[form]
    person = make_user("rightful@example.org")
    client.force_login(person)
    for _ in range(2):
        client.post(url, data(WRONG))
    response = client.post(url, data(PASSWORD))
    assert response.status_code == 302
