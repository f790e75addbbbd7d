"""No page posts its forms with ``Origin: null``.

A browser sends ``Origin: null`` with a form posted from a page whose referrer policy is
``no-referrer``, and the CSRF check refuses it (what kept invited staff from setting their
password). Every page keeps the site's ``same-origin`` policy, which already keeps addresses
(and the tokens of links from e-mails) away from other sites; those tokens leave the address
bar anyway (:mod:`apps.accounts.links`).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from apps.accounts.models import AccountToken
from apps.accounts.tokens import issue_token

ROOT = Path(settings.BASE_DIR)
OWN_POLICY = re.compile(r"""name=["']referrer["']|referrerpolicy\s*=|Referrer-Policy""", re.IGNORECASE)


def test_no_template_sets_a_referrer_policy_of_its_own():
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("apps/*/templates/**/*.html")]
    assert len(templates) > 50
    offending = [str(path.relative_to(ROOT)) for path in templates if OWN_POLICY.search(path.read_text())]
    assert offending == []


def test_the_site_policy_is_same_origin(client, world):
    assert settings.SECURE_REFERRER_POLICY == "same-origin"
    assert client.get(reverse("accounts:login"))["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    ("link", "purpose", "page"),
    [
        ("accounts:activate", AccountToken.Purpose.ACTIVATION, "accounts:activate_form"),
        ("accounts:password_reset_confirm", AccountToken.Purpose.PASSWORD_RESET, "accounts:password_reset_form"),
        ("accounts:email_change_confirm", AccountToken.Purpose.EMAIL_CHANGE, "accounts:email_change_form"),
        ("staff:accept_invitation", AccountToken.Purpose.INVITATION, "staff:choose_password"),
    ],
)
def test_a_link_leads_to_its_page_without_the_token(client, world, link, purpose, page):
    person = world.pupil
    if purpose == AccountToken.Purpose.INVITATION:
        person.set_unusable_password()
        person.is_active = False
        person.save()
    raw = issue_token(person, purpose, site=world.site, payload={"email": "new@example.org"})
    assert client.get(reverse(page)).status_code == 410  # nothing opened in this browser yet
    opened = client.get(reverse(link, args=[raw]))
    assert opened.status_code == 302 and opened.url == reverse(page)
    shown = client.get(opened.url)
    assert shown.status_code == 200 and raw not in shown.content.decode()
    assert shown["Referrer-Policy"] == "same-origin" and "no-store" in shown["Cache-Control"]
    # The token is this browser's: another one gets nothing from the page's address.
    other = client.__class__()
    assert other.get(reverse(page)).status_code == 410
