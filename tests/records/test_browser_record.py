"""The record form in a real browser: the htmx school search, saving, accessibility."""

import pytest
from django.test import Client

from apps.records.models import PupilRecord, RecordStatus
from apps.tenancy.models import SiteHost
from apps.tenancy.scoping import for_site
from tests.browser.conftest import (  # noqa: F401 (fixtures)
    axe,
    browser_context_args,
    browser_type_launch_args,
    describe,
    live_world,
)

from .conftest import make_references, years_ago

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in_page(page, live_server, live_world):  # noqa: F811
    SiteHost.objects.create(site=live_world.site, host="localhost")
    client = Client(HTTP_HOST="localhost")
    client.force_login(live_world.other_pupil)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return page


def test_pupil_finds_the_school_with_htmx_and_saves(signed_in_page, live_server, live_world, axe):  # noqa: F811
    refs = make_references(live_world.site)
    page = signed_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    response = page.goto(f"{live_server.url}/record/edit/")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    violations = axe(page)
    assert not violations, describe(violations)

    search = page.locator("#school-search")
    assert search.is_visible()
    search.fill("couffignal")
    option = page.locator(f'input[name="school_choice"][value="hs:{live_world.host_high_school.pk}"]')
    option.wait_for(state="visible")
    option.check()
    page.fill("#id_birth_date", years_ago(16).isoformat())
    page.select_option("#id_level", str(refs.seconde.pk))
    page.select_option("#id_bachelor_type", str(refs.pro.pk))
    search.press("Enter")  # does not submit the form
    assert page.url.endswith("/record/edit/")
    page.get_by_role("button", name="Enregistrer mon dossier").or_(
        page.get_by_role("button", name="Save my record")
    ).click()
    page.wait_for_url(f"{live_server.url}/record/")
    with for_site(live_world.site):
        record = PupilRecord.objects.get(pk=live_world.other_pupil_record.pk)
    assert record.high_school == live_world.host_high_school
    assert record.status == RecordStatus.TO_VALIDATE
    violations = axe(page)
    assert not violations, describe(violations)
