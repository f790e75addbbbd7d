"""The site-management pages and the grouped navigation in a real browser: axe-core, a 390px phone."""

import pytest
from django.urls import reverse

from tests.browser.conftest import (  # noqa: F401 (fixtures)
    axe,
    browser_context_args,
    browser_type_launch_args,
    describe,
    live_world,
)
from tests.staff.test_browser_a11y import check, sign_in, site_url  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_site_pages_on_a_phone(page, site_url, live_world, axe):  # noqa: F811
    sign_in(page, site_url, live_world.master_referent)
    for name in (
        "backoffice:host_names",
        "backoffice:sign_in_settings",
        "backoffice:attestation_types",
        "backoffice:charters",
    ):
        assert page.goto(site_url + reverse(name)).status == 200
        check(page, axe)
    # A form sent empty comes back with its errors, tied to their fields.
    page.goto(site_url + reverse("backoffice:attestation_types_create"))
    page.locator("#row-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_label").get_attribute("aria-invalid") == "true"
    assert "id_label_error" in page.locator("#id_label").get_attribute("aria-describedby")
    check(page, axe)
    # The home's navigation: one landmark, a heading per group.
    page.goto(site_url + reverse("staff:home"))
    assert page.locator("nav#tasks h3").count() >= 8
    check(page, axe)
