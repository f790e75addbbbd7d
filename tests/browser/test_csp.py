"""The page policy (Content-Security-Policy, enforced by the test settings) in a real browser, on a phone.

Every page opens without a refused script, style, image or form (``securitypolicyviolation``
events and console errors are collected from every page), and what runs on scripts still
works: the menu toggler, the language switch, htmx (a dashboard refresh, a search as you
type), the statistics charts, and the federated steps that leave the site from a form.
"""

from types import SimpleNamespace
from unittest import mock

import cas
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from apps.tenancy.models import SiteHost
from tests.federation.conftest import DATA, EDUCONNECT_IDP, configure, idp_metadata

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
CAS_SERVER = "https://cas.univ-example.fr/cas"
# Runs in every document before its own scripts; reports through the binding the test exposes.
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${document.location.pathname}: ${event.effectiveDirective} refused `
    + `${event.blockedURI || "inline"} (${event.sourceFile || ""}:${event.lineNumber})`);
});
"""


@pytest.fixture
def phone(browser, browser_context_args, live_server, live_world):
    SiteHost.objects.create(site=live_world.site, host="localhost")
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True})
    context.set_default_timeout(TIMEOUT_MS)
    problems = []
    context.expose_function("reportViolation", lambda text: problems.append(f"policy violation: {text}"))
    context.add_init_script(LISTEN)
    page = context.new_page()

    def on_console(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"console error on {page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"JavaScript error on {page.url}: {error}"))
    yield SimpleNamespace(page=page, url=live_server.url, problems=problems)
    context.close()


def sign_in(phone, user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    phone.page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": phone.url}])


def visit(phone, path):
    response = phone.page.goto(phone.url + path)
    assert response.status == 200, path
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, f"{path}: {policy!r}"
    phone.page.wait_for_load_state("load")
    return response


def open_menu(page):
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(page.locator("#main-menu")).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")


def test_public_pages_menu_and_language_switch(phone, live_world):
    page, w = phone.page, live_world
    for path in ["/", "/offer/", "/events/", "/slots/?q=algo", f"/slots/{w.slot.pk}/", reverse("federation:sign_in")]:
        visit(phone, path)
    assert not phone.problems, "\n".join(phone.problems)

    # The unknown-site page has no request to take a nonce from: its <style> is allowed by its hash.
    unknown = page.goto(phone.url.replace("localhost", "127.0.0.1") + "/")
    assert unknown.status == 404 and "style-src 'self' 'sha256-" in unknown.headers["content-security-policy"]
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "640px"  # 40rem
    assert [problem for problem in phone.problems if "404 (Not Found)" not in problem] == []
    phone.problems.clear()

    visit(phone, "/")
    expect(page.locator("#main-menu")).to_be_hidden()
    open_menu(page)
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator('.language-switch button[value="en"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert not phone.problems, "\n".join(phone.problems)


def test_staff_pages_dashboard_refresh_and_charts(phone, live_world):
    page, w = phone.page, live_world
    sign_in(phone, w.master_referent)
    for name in ["staff:home", "staff:invite", "backoffice:slots_list", "backoffice:organisations_highschool_create"]:
        visit(phone, reverse(name))

    visit(phone, reverse("backoffice:organisations_highschool_create"))
    expect(page.locator(".directory-search")).to_be_visible()  # shown by static/js/enhanced.js

    visit(phone, reverse("dashboards:home"))
    panels = page.locator("[data-dashboard-live]")
    assert panels.count() >= 1
    with page.expect_response(lambda response: "/dashboard/panels/" in response.url) as refreshed:
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert refreshed.value.status == 200
    # static/js/dashboard.js: no request while the tab is hidden
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/dashboard/panels/" in request.url else None)
    page.evaluate(
        """() => {
          Object.defineProperty(document, "visibilityState", {value: "hidden", configurable: true});
          document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    page.wait_for_timeout(500)
    assert asked == []

    visit(phone, reverse("statistics:home"))
    charts = page.locator("[data-statistics-chart] canvas")
    assert charts.count() >= 1
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-statistics-chart] canvas")].every(
             (canvas) => window.Chart && Chart.getChart(canvas) && canvas.width > 0 && canvas.height > 0)"""
    )
    assert not phone.problems, "\n".join(phone.problems)


def test_search_as_you_type_on_the_record_form(phone, live_world):
    page = phone.page
    sign_in(phone, live_world.pupil)
    visit(phone, reverse("records:edit"))
    search = page.locator("#school-search")
    expect(search).to_be_visible()
    search.fill("Kléber")
    expect(page.locator("#school-results")).to_contain_text("Lycée Kléber")
    search.press("Enter")  # does not submit the record form
    assert page.url.endswith(reverse("records:edit"))
    assert not phone.problems, "\n".join(phone.problems)


def test_sign_out_reaches_the_cas_server(phone, live_world):
    # Browsers apply form-action to the redirects that follow a form: the menu's sign-out form
    # ends at the CAS server. (Playwright cannot stand in for a server reached by a redirect:
    # the request fails on the unknown host, which it would not reach if the policy refused it.)
    page, w = phone.page, live_world
    federation = configure(w.site, cas_enabled=True, cas_server_url=CAS_SERVER + "/", cas_version="3")
    federation.cas_establishments.add(w.master)
    with mock.patch.object(cas.CASClientV3, "verify_ticket", return_value=("jdoe", {"mail": w.speaker.email}, None)):
        page.goto(f"{phone.url}/sign-in/cas/?ticket=ST-1")
    visit(phone, "/")
    open_menu(page)
    assert not phone.problems, "\n".join(phone.problems)

    with page.expect_event("requestfailed", lambda request: request.url.startswith(f"{CAS_SERVER}/logout")) as left:
        page.locator("form.sign-out button").click()
    assert left.value.failure == "net::ERR_NAME_NOT_RESOLVED"  # refused by the policy: net::ERR_BLOCKED_BY_CSP
    assert not [problem for problem in phone.problems if problem.startswith("policy violation")], phone.problems


def test_saml_post_page_hands_over_to_the_identity_provider(phone, live_world, settings):
    settings.SAML_SP_KEY_FILE = str(DATA / "sp.key")
    settings.SAML_SP_CERT_FILE = str(DATA / "sp.crt")
    configure(live_world.site, educonnect_enabled=True, educonnect_metadata_xml=idp_metadata(EDUCONNECT_IDP))
    posted = []

    def identity_provider(route):
        posted.append((route.request.method, route.request.post_data or ""))
        route.fulfill(content_type="text/html", body="<title>EduConnect</title>")

    phone.page.route(f"{EDUCONNECT_IDP}/**", identity_provider)
    with phone.page.expect_navigation(url=f"{EDUCONNECT_IDP}/sso/post"):
        phone.page.goto(f"{phone.url}/sign-in/saml/educonnect/")
    assert posted and posted[0][0] == "POST" and "SAMLRequest=" in posted[0][1]
    assert not phone.problems, "\n".join(phone.problems)
