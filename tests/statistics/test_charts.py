"""The statistics page: who may see it, what scope each role gets, the figures, the filters, the queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.registrations.models import Attendance, Registration
from apps.tenancy.scoping import for_site
from tests.factories import make_pupil, make_slot
from tests.statistics.util import fr

URL = reverse("statistics:home")

pytestmark = pytest.mark.django_db


def _chart(response, key):
    chart = next(c for c in response.context["charts"] if c.key == key)
    return {str(row.label): (row.registered, row.attended, row.absent, row.cancelled) for row in chart.rows}


@pytest.mark.parametrize(
    "role, status",
    [
        ("master_referent", 200),
        ("operator", 200),
        ("establishment_referent", 200),
        ("host_referent", 200),
        ("structure_referent", 200),
        ("consultant", 200),
        ("high_school_referent", 200),
        ("speaker", 403),
        ("legal", 403),
        ("pupil", 403),
        ("student", 403),
    ],
)
def test_who_may_see_the_statistics(client, data, role, status):
    client.force_login(getattr(data, role))
    assert client.get(URL).status_code == status


def test_anonymous_people_are_sent_to_sign_in(client, data):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("federation:sign_in") in response.url


def test_master_referent_sees_the_whole_site_with_the_right_figures(client, data):
    client.force_login(data.master_referent)
    response = client.get(URL)
    assert response.context["totals"] == {"registered": 4, "attended": 2, "absent": 1, "cancelled": 1, "people": 4}
    assert _chart(response, "population") == {
        fr("Pupils"): (2, 1, 0, 0),
        fr("Students"): (1, 1, 0, 1),
        fr("Visitors"): (1, 0, 1, 0),
    }
    assert _chart(response, "establishment") == {"Université alpha": (3, 1, 1, 1), "École alpha": (1, 1, 0, 0)}
    assert _chart(response, "domain") == {"Sciences & Technologies": (1, 1, 0, 1), fr("No domain"): (3, 1, 1, 0)}
    assert _chart(response, "high_school") == {"Lycée Kléber": (2, 1, 0, 0), fr("No partner high school"): (2, 1, 1, 1)}
    assert _chart(response, "training")["Licence Informatique"] == (1, 1, 0, 1)
    assert _chart(response, "period") == {"Semestre": (4, 2, 1, 1)}
    # Every chart comes with its data table (the accessible version the script draws from).
    html = response.content.decode()
    assert html.count("<table") == 7 and html.count("<canvas") == 7
    assert 'data-series="attended"' in html and "chart.umd.min.js" in html and "js/statistics.js" in html


def test_a_training_in_two_subdomains_of_one_domain_counts_once(client, data):
    from apps.referentials.models import TrainingSubdomain

    with for_site(data.site):
        second = TrainingSubdomain.objects.create(site=data.site, domain=data.subdomain.domain, label="Réseaux")
        data.training.subdomains.add(second)
    client.force_login(data.master_referent)
    assert _chart(client.get(URL), "domain")["Sciences & Technologies"] == (1, 1, 0, 1)


def test_structure_referent_and_consultant_see_their_structure_only(client, data):
    for person in (data.structure_referent, data.consultant):
        client.force_login(person)
        response = client.get(URL)
        assert response.context["totals"]["registered"] == 1
        assert response.context["totals"]["cancelled"] == 1
        assert _chart(response, "training") == {"Licence Informatique": (1, 1, 0, 1)}


def test_establishment_referents_see_their_establishment(client, data):
    client.force_login(data.establishment_referent)
    assert _chart(client.get(URL), "establishment") == {"Université alpha": (3, 1, 1, 1)}
    client.force_login(data.host_referent)
    assert _chart(client.get(URL), "establishment") == {"École alpha": (1, 1, 0, 0)}


def test_high_school_referent_sees_only_their_consenting_pupils(client, data):
    client.force_login(data.high_school_referent)
    response = client.get(URL)
    # The pupil shares their immersions; the other pupil does not, and is not counted.
    assert response.context["totals"]["registered"] == 1
    assert _chart(response, "population") == {fr("Pupils"): (1, 1, 0, 0)}
    assert _chart(response, "high_school") == {"Lycée Kléber": (1, 1, 0, 0)}
    assert [kind for kind, _label in response.context["export_kinds"]] == ["registrations"]


def test_another_sites_figures_never_show(client, data, other_world):
    client.force_login(data.master_referent)
    response = client.get(URL)
    assert response.context["totals"]["registered"] == 4
    assert "Université beta" not in response.content.decode()


def test_filters_narrow_the_figures(client, data):
    client.force_login(data.master_referent)
    response = client.get(URL, {"establishment": data.host.pk})
    assert response.context["totals"]["registered"] == 1
    response = client.get(URL, {"domain": data.subdomain.domain_id})
    assert response.context["totals"] == {"registered": 1, "attended": 1, "absent": 0, "cancelled": 1, "people": 1}
    day = data.slot.date
    response = client.get(URL, {"date_from": day + dt.timedelta(days=1), "date_to": day + dt.timedelta(days=30)})
    assert response.context["totals"]["registered"] == 0
    assert fr("No registrations match these filters.") in response.content.decode()
    response = client.get(URL, {"period": data.period.pk, "date_from": day, "date_to": day})
    assert response.context["totals"]["registered"] == 4


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "not-a-date"},
        {"period": "abc"},
        {"period": "999999"},
        {"establishment": "1; DROP TABLE"},
        {"date_from": "2026-05-10", "date_to": "2026-05-01"},
    ],
)
def test_bad_filters_give_a_form_error_not_a_crash(client, data, query):
    client.force_login(data.master_referent)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["charts"] == [] and response.context["totals"] is None
    assert fr("Some filters are not valid: please correct them.") in response.content.decode()


def test_another_sites_period_is_not_a_valid_filter(client, data, other_world):
    client.force_login(data.master_referent)
    response = client.get(URL, {"period": other_world.period.pk})
    assert "period" in response.context["form"].errors


def _grow(w, count):
    """More slots and registrations across structures, establishments, high schools and attendance."""
    with for_site(w.site):
        for index in range(count):
            course = (w.course, w.other_course, w.host_course, w.bts_course)[index % 4]
            if course == w.bts_course:
                slot = make_slot(w, course, days=20 + index, place="outside", outside_address="Lycée")
            else:
                slot = make_slot(w, course, days=20 + index)
            pupil = make_pupil(w, high_school=(w.high_school, w.host_high_school)[index % 2])
            Registration.objects.create(site=w.site, slot=slot, person=pupil, attendance=Attendance.PRESENT)


@pytest.mark.parametrize("role", ["master_referent", "structure_referent", "high_school_referent"])
def test_the_page_runs_a_constant_number_of_queries(client, data, role):
    client.force_login(getattr(data, role))
    client.get(URL)  # warm the session and caches
    with CaptureQueriesContext(connection) as before:
        assert client.get(URL, {"period": data.period.pk}).status_code == 200
    _grow(data, 8)
    with CaptureQueriesContext(connection) as after:
        assert client.get(URL, {"period": data.period.pk}).status_code == 200
    assert len(after) == len(before)
    assert len(before) <= 20


def test_dates_are_validated_against_real_dates(client, data):
    client.force_login(data.master_referent)
    today = timezone.localdate()
    response = client.get(URL, {"date_from": today.isoformat()})
    assert not response.context["form"].errors
