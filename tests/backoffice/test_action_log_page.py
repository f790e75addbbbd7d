"""The action log in the back office: who may read it, what each reader sees, filters, bad
input, and a constant number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from apps.audit.services import log_action
from apps.tenancy.scoping import for_site

pytestmark = pytest.mark.django_db
ACTION = "audit.person.pseudonymised"
URL = "/back-office/log/"
URL_NAMES = ("backoffice:log",)  # the permission matrix below (tests/backoffice/test_url_coverage.py)


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def entries(world, other_world):
    w = world
    with for_site(w.site):
        on_master = log_action(ACTION, site=w.site, actor=w.master_referent, obj=w.slot, label="MASTER-SLOT")
        on_host = log_action(ACTION, site=w.site, actor=w.host_referent, obj=w.host_slot, label="HOST-SLOT")
        sitewide = log_action(ACTION, site=w.site, actor=w.master_referent, obj=w.site, label="SITE-SETTINGS")
    with for_site(other_world.site):
        other = other_world
        log_action(ACTION, site=other.site, actor=other.master_referent, obj=other.slot, label="OTHER")
    return on_master, on_host, sitewide


def test_each_role_reads_what_the_policy_allows(client, world, entries):
    assert reverse("backoffice:log") == URL
    w = world
    expected = {
        "operator": {"MASTER-SLOT", "HOST-SLOT", "SITE-SETTINGS"},
        "master_referent": {"MASTER-SLOT", "HOST-SLOT", "SITE-SETTINGS"},
        "establishment_referent": {"MASTER-SLOT"},
        "host_referent": {"HOST-SLOT"},
    }
    labels = {"MASTER-SLOT", "HOST-SLOT", "SITE-SETTINGS", "OTHER"}
    for person, visible in expected.items():
        client.force_login(getattr(w, person))
        response = client.get(URL)
        assert response.status_code == 200, person
        body = response.content.decode()
        assert {label for label in labels if label in body} == visible, person
    for person in ("structure_referent", "consultant", "speaker", "high_school_referent", "legal", "pupil"):
        client.force_login(getattr(w, person))
        assert client.get(URL).status_code == 403, person
    client.logout()
    assert client.get(URL).status_code == 302


@pytest.mark.usefixtures("entries")
def test_filters_and_bad_values(client, world):
    client.force_login(world.master_referent)
    body = client.get(URL, {"object_type": "catalogue.slot", "object_id": world.slot.pk}).content.decode()
    assert "MASTER-SLOT" in body and "HOST-SLOT" not in body and "SITE-SETTINGS" not in body
    body = client.get(URL, {"actor": world.host_referent.last_name}).content.decode()
    assert "HOST-SLOT" in body and "MASTER-SLOT" not in body
    for bad in ({"since": "yesterday"}, {"action": "no.such.thing"}, {"per_page": "-1"}, {"page": "x"}):
        response = client.get(URL, bad)
        assert response.status_code == 200, bad
        assert "MASTER-SLOT" in response.content.decode(), bad


def test_constant_queries(client, world, entries, django_assert_max_num_queries):
    client.force_login(world.master_referent)
    client.get(URL)  # the kept filters, the charter status... warmed once
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    with for_site(world.site):
        for number in range(30):
            log_action(ACTION, site=world.site, actor=world.master_referent, obj=world.slot, label=f"ROW {number}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many.captured_queries) == len(few.captured_queries)
