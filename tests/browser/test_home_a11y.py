"""The home page in a real browser: accessibility (axe-core), keyboard, phone layout."""

from urllib.parse import urlsplit

import pytest

from apps.tenancy.models import SiteHost
from tests.browser.conftest import describe

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def home_url(live_server, live_world):
    # The live server answers on "localhost": let the world's site claim that host.
    SiteHost.objects.create(site=live_world.site, host="localhost")
    return live_server.url + "/"


@pytest.fixture
def watched_page(page, live_server):
    """The page, recording in ``page.problems`` any failed request, error response of a
    sub-resource, or request leaving the live server (no CDN, no external call)."""
    origin = urlsplit(live_server.url).netloc
    problems = []

    def on_request(request):
        if not request.url.startswith("data:") and urlsplit(request.url).netloc != origin:
            problems.append(f"external: {request.url}")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status}: {response.url}")

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.problems = problems
    return page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_home_has_no_serious_accessibility_violation(watched_page, home_url, axe, viewport):
    page = watched_page
    page.set_viewport_size(viewport)
    response = page.goto(home_url)

    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    page.wait_for_load_state("networkidle")
    violations = axe(page)
    assert not violations, "axe-core found serious or critical violations:\n" + describe(violations)
    assert not page.problems, page.problems


def test_unknown_site_page_has_no_serious_accessibility_violation(page, live_server, live_world, axe):
    # No site claims 127.0.0.1: the tenancy middleware answers with the unknown-site page.
    response = page.goto(live_server.url.replace("localhost", "127.0.0.1") + "/")

    assert response.status == 404
    assert "Site introuvable" in page.content()
    violations = axe(page)
    assert not violations, describe(violations)


def test_not_found_page_has_no_serious_accessibility_violation(page, home_url, axe):
    response = page.goto(home_url + "no-such-page/")

    assert response.status == 404
    violations = axe(page)
    assert not violations, describe(violations)


def test_phone_layout_and_skip_link(watched_page, home_url, live_world, tmp_path):
    page = watched_page
    page.set_viewport_size(PHONE)
    page.goto(home_url)
    page.wait_for_load_state("networkidle")

    screenshot = tmp_path / "home-phone.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "horizontal scroll on a phone"
    assert page.get_by_role("heading", level=1).inner_text() == live_world.site.name

    # The skip link is the first thing the keyboard reaches, and it is shown when focused.
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const el = document.activeElement; const box = el.getBoundingClientRect();"
        " return {tag: el.tagName, href: el.getAttribute('href'), top: box.top, bottom: box.bottom,"
        " height: box.height}; }"
    )
    assert focused["tag"] == "A" and focused["href"] == "#main", focused
    assert focused["height"] > 0 and focused["top"] >= 0 and focused["bottom"] <= PHONE["height"], focused

    # Following it moves the focus to the main landmark.
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert not page.problems, page.problems


def test_language_switch_in_the_browser(watched_page, home_url):
    page = watched_page
    page.set_viewport_size(DESKTOP)
    page.goto(home_url)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="English").get_attribute("aria-current") == "true"
    assert not page.problems, page.problems
