"""The public offer pages in a real browser: no serious axe-core violation, phone and desktop."""

import pytest
from django.conf import settings

from apps.tenancy.models import SiteHost
from apps.tenancy.scoping import for_site
from tests.browser.conftest import describe
from tests.factories import make_slot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def site_url(live_server, live_world):
    SiteHost.objects.create(site=live_world.site, host="localhost")
    return live_server.url


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_portal_pages_have_no_serious_accessibility_violation(page, site_url, live_world, axe, viewport):
    page.set_viewport_size(viewport)
    w = live_world
    paths = [
        "/offer/",
        f"/offer/subdomains/{w.subdomain.pk}/",
        f"/offer/trainings/{w.training.pk}/",
        f"/offer/courses/{w.course.pk}/",
        "/events/",
        "/slots/?q=algo",
        "/slots/?date_from=nonsense",
        f"/slots/{w.slot.pk}/",
        "/establishments/",
        "/high-schools/",
    ]
    for path in paths:
        response = page.goto(site_url + path)
        assert response.status == 200, path
        violations = axe(page)
        assert not violations, f"{path}:\n" + describe(violations)


def test_a_pupil_on_a_phone_sees_the_register_button(page, site_url, live_world, axe, client):
    w = live_world
    with for_site(w.site):
        slot = make_slot(w, w.host_course, days=9)
    client.force_login(w.pupil)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site_url}])
    page.set_viewport_size(PHONE)

    page.goto(f"{site_url}/slots/{slot.pk}/")

    button = page.get_by_role("button", name="M’inscrire à ce créneau")
    if not button.count():  # the French catalogue may not hold the new messages yet
        button = page.get_by_role("button", name="Register to this slot")
    assert button.is_visible()
    violations = axe(page)
    assert not violations, describe(violations)
