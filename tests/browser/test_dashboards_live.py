"""The master referent's dashboard on a phone: accessible, and its figures follow the database without a reload.

Real Chromium against the live server. The poll runs every 30 seconds while the tab is
visible, and also when the tab becomes visible again: the test fires that event rather
than waiting half a minute.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from apps.catalogue.models import Slot
from apps.registrations.models import Registration
from apps.tenancy.models import SiteHost
from apps.tenancy.scoping import for_site
from tests.browser.conftest import describe
from tests.factories import make_pupil

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


@pytest.fixture
def master_phone(browser, browser_context_args, live_server, live_world):
    SiteHost.objects.create(site=live_world.site, host="localhost")
    client = Client(HTTP_HOST="localhost")
    client.force_login(live_world.master_referent)
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True})
    context.set_default_timeout(TIMEOUT_MS)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = context.new_page()
    yield page, live_server.url
    context.close()


def test_master_dashboard_updates_without_reloading(master_phone, live_world, axe):
    page, url = master_phone
    w = live_world
    response = page.goto(f"{url}{reverse('dashboards:home')}")
    assert response.status == 200
    violations = axe(page)
    assert not violations, describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    today = page.locator('[data-panel="site"] [data-figure="registrations-today"]')
    expect(today).to_have_text("2")
    page.evaluate("window.loadedOnce = true")  # gone if the page reloads

    with for_site(w.site):
        Registration.objects.create(site=w.site, slot=w.host_slot, person=make_pupil(w))
        Slot.objects.filter(pk=w.host_slot.pk).update(individual_places_taken=1)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(today).to_have_text("3")
    assert page.evaluate("window.loadedOnce") is True
