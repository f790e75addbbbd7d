"""The staff pages in a real browser: accessibility (axe-core) and the phone layout."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from apps.accounts.models import AccountToken
from apps.accounts.tokens import issue_token
from apps.staff.models import CharterSignature
from apps.tenancy.models import SiteHost
from apps.tenancy.scoping import for_site
from tests.browser.conftest import (  # noqa: F401 (fixtures)
    axe,
    browser_context_args,
    browser_type_launch_args,
    describe,
    live_world,
)
from tests.factories import make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site_url(live_server, live_world):  # noqa: F811
    SiteHost.objects.create(site=live_world.site, host="localhost")
    return live_server.url


def sign_in(page, site_url, user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site_url}])


def check(page, axe):  # noqa: F811
    page.set_viewport_size(PHONE)
    page.wait_for_load_state("networkidle")
    violations = axe(page)
    assert not violations, describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "horizontal scroll on a phone"
    assert page.locator("h1").count() == 1


def test_staff_pages(page, site_url, live_world, axe):  # noqa: F811
    sign_in(page, site_url, live_world.master_referent)
    for name in ("staff:home", "staff:people", "staff:invite", "staff:charter"):
        assert page.goto(site_url + reverse(name)).status == 200
        check(page, axe)
    # the invitation form with its errors, and the scope fields following the role
    page.goto(site_url + reverse("staff:invite"))
    page.select_option("#id_role", "structure_referent")
    assert page.locator("#id_structure").is_visible()
    assert not page.locator("#id_high_school").is_visible()
    page.fill("#id_email", "not-an-address")
    with translation.override("fr"):
        grant_label = gettext("Grant the role")
    page.get_by_role("button", name=grant_label).click()
    page.wait_for_load_state()
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    check(page, axe)


def test_charter_to_sign_and_invitation_pages(page, site_url, live_world, axe):  # noqa: F811
    with for_site(live_world.site):
        CharterSignature.objects.all().delete()
    sign_in(page, site_url, live_world.host_referent)
    assert page.goto(site_url + reverse("staff:charter")).status == 200
    check(page, axe)
    person = make_user(is_active=False)
    raw = issue_token(person, AccountToken.Purpose.INVITATION, site=live_world.site)
    page.context.clear_cookies()
    assert page.goto(site_url + reverse("staff:accept_invitation", args=[raw])).status == 200
    check(page, axe)
    assert page.goto(site_url + reverse("staff:accept_invitation", args=["forged"])).status == 410
    check(page, axe)
