"""Refusal pages in a real browser on a phone: the bad-request page, the locked-out page and the
address pages' limit have one heading, no serious axe-core violation, and do not scroll sideways."""

import axes.utils
import pytest
from django.urls import reverse

from apps.tenancy.models import SiteHost
from tests.browser.conftest import describe

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site_url(live_server, live_world):
    SiteHost.objects.create(site=live_world.site, host="localhost")
    return live_server.url


def check(page, axe, expected_status, response):
    assert response.status == expected_status, page.url
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    violations = axe(page)
    assert not violations, f"{page.url}:\n" + describe(violations)


def test_the_bad_request_page(page, site_url, axe):
    page.set_viewport_size(PHONE)
    response = page.goto(site_url + "/slots/?q=%00")
    check(page, axe, 400, response)
    assert "caractères illisibles" in page.content()
    assert page.locator("header.site-header").count() == 1  # the site's own page, with its menu


def test_the_locked_out_page_and_the_reset_limit(page, site_url, live_world, axe, settings):
    settings.AXES_ENABLED = True
    axes.utils.reset()
    try:
        page.set_viewport_size(PHONE)
        login = site_url + reverse("accounts:login")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            page.goto(login)
            page.fill("input[name=email]", live_world.pupil.email)
            page.fill("input[name=password]", "not-the-password-at-all")
            with page.expect_response(lambda r: r.request.method == "POST") as posted:
                page.locator("main form button[type=submit]").click()
        check(page, axe, 429, posted.value)
    finally:
        axes.utils.reset()

    reset = site_url + reverse("accounts:password_reset")
    for attempt in range(4):
        page.goto(reset)
        page.fill("input[name=email]", "somebody@example.org")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.locator("main form button[type=submit]").click()
        if attempt < 3:
            assert posted.value.status == 302
    check(page, axe, 429, posted.value)
    assert "rien n’a été envoyé" in page.content()
