"""A pupil on a phone finds a course, registers, sees it in "my immersions", and cancels.

Real Chromium against the live server; every page of the way is checked with axe-core (no
"serious" or "critical" violation) and for horizontal scrolling on a phone-sized window.
Buttons are found by their form's address, so the test does not depend on the wording.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from apps.referentials.models import CancellationReason
from apps.registrations.models import Registration, Status
from apps.tenancy.models import SiteHost
from apps.tenancy.scoping import for_site
from tests.browser.conftest import describe
from tests.factories import make_slot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


@pytest.fixture
def site_url(live_server, live_world):
    SiteHost.objects.create(site=live_world.site, host="localhost")
    return live_server.url


@pytest.fixture
def pupil_phone(browser, browser_context_args, site_url, live_world):
    """A phone-sized French browser context, signed in as the world's (validated) pupil."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(live_world.pupil)
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site_url}])
    page = context.new_page()
    yield page
    context.close()


def check_page(page, axe, problems, name):
    violations = axe(page)
    if violations:
        problems.append(f"{name}: {describe(violations)}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        problems.append(f"{name}: scrolls horizontally by {overflow}px on a phone")
    if page.locator("h1").count() != 1:
        problems.append(f"{name}: {page.locator('h1').count()} h1")


def submit(button):
    with button.page.expect_navigation(wait_until="load"):
        button.click()


def test_pupil_registers_sees_and_cancels_on_a_phone(pupil_phone, site_url, live_world, axe):
    page, w, problems = pupil_phone, live_world, []
    with for_site(w.site):
        CancellationReason.objects.create(site=w.site, label="Empêchement", position=1)
        slot = make_slot(w, w.other_course, days=9)  # free places, no overlap with the pupil's registration

    # The course page lists the slot.
    response = page.goto(f"{site_url}{reverse('portal:course', args=[w.other_course.pk])}")
    assert response.status == 200
    check_page(page, axe, problems, "course")
    slot_path = reverse("portal:slot", args=[slot.pk])
    link = page.locator(f'main a[href="{slot_path}"]').first
    expect(link).to_be_visible()
    with page.expect_navigation(wait_until="load"):
        link.click()
    assert urlsplit(page.url).path == slot_path
    check_page(page, axe, problems, "slot")

    # Register.
    register = page.locator(f'form[action="{reverse("registrations:register", args=[slot.pk])}"] button')
    submit(register)
    assert urlsplit(page.url).path == slot_path
    expect(page.locator(".messages .alert-success")).to_be_visible()
    with for_site(w.site):
        registration = Registration.objects.get(person=w.pupil, slot=slot, status=Status.ACTIVE)

    # My immersions shows it, as a card with a cancel link.
    page.goto(f"{site_url}{reverse('registrations:mine')}")
    card = page.locator(f'article[data-registration="{registration.pk}"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text(w.other_course.label)
    check_page(page, axe, problems, "my immersions")
    cancel_link = card.locator(f'a[href="{reverse("registrations:cancel", args=[registration.pk])}"]')
    with page.expect_navigation(wait_until="load"):
        cancel_link.click()
    check_page(page, axe, problems, "cancel")

    # Cancel with a reason (the form first refuses an empty answer).
    submit(page.locator("main form button[type=submit]"))
    expect(page.locator("#reason-errors")).to_be_visible()
    check_page(page, axe, problems, "cancel with errors")
    page.get_by_label("Empêchement").check()
    submit(page.locator("main form button[type=submit]"))
    assert urlsplit(page.url).path == reverse("registrations:mine")
    cancelled = page.locator(f'#cancelled article[data-registration="{registration.pk}"]')
    expect(cancelled).to_be_visible()
    expect(cancelled).to_contain_text("Empêchement")
    check_page(page, axe, problems, "my immersions after cancelling")
    with for_site(w.site):
        registration.refresh_from_db()
    assert registration.status == Status.CANCELLED

    # The calendar page, too.
    page.goto(f"{site_url}{reverse('registrations:calendar')}")
    check_page(page, axe, problems, "calendar")
    assert not problems, "\n".join(problems)
