"""The statistics page in a real browser: the charts are drawn from the tables, locally, accessibly, on a phone."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from apps.registrations.models import Attendance, Registration
from apps.tenancy.models import SiteHost
from apps.tenancy.scoping import for_site
from tests.browser.conftest import describe

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def master_phone(browser, browser_context_args, live_server, live_world):
    SiteHost.objects.create(site=live_world.site, host="localhost")
    with for_site(live_world.site):
        Registration.objects.filter(pk=live_world.registration.pk).update(attendance=Attendance.PRESENT)
    client = Client(HTTP_HOST="localhost")
    client.force_login(live_world.master_referent)
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE, "is_mobile": True})
    context.set_default_timeout(10_000)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = context.new_page()
    yield page
    context.close()


def test_charts_are_drawn_from_local_files_and_the_page_is_accessible(master_phone, live_server, axe):
    page = master_phone
    outside = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request))
    response = page.goto(f"{live_server.url}{reverse('statistics:home')}")
    assert response.status == 200
    chart = page.locator('[data-statistics-chart="population"] .statistics-chart')
    expect(chart).to_be_visible()  # the script showed it once Chart.js had drawn
    assert page.evaluate("typeof window.Chart") == "function"
    drawn = page.evaluate(
        "Object.values(Chart.instances).map(c => [c.canvas.closest('[data-statistics-chart]').dataset.statisticsChart,"
        " c.data.labels.length, c.data.datasets[0].data.reduce((a, b) => a + b, 0)])"
    )
    assert ["period", 1, 2] in drawn and len(drawn) == 7
    expect(page.locator("#table-population")).to_be_visible()  # the table stays, for everyone
    assert outside == []
    violations = axe(page)
    assert not violations, describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
