"""The yearly-cycle pages: rights, cross-site ids, the confirm form, progress polling, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from apps.academic_calendar.models import UniversityYear
from apps.tenancy.scoping import for_site, platform_job
from apps.yearly import services, tasks
from apps.yearly.models import AnnualStatistics, PurgeRun

URL_NAMES = [
    "yearly:years",
    "yearly:year",
    "yearly:refresh",
    "yearly:dry_run",
    "yearly:purge",
    "yearly:run",
    "yearly:archive",
]
REFUSED = [
    "establishment_referent",
    "host_referent",
    "structure_referent",
    "consultant",
    "speaker",
    "high_school_referent",
    "legal",
]


@pytest.fixture
def runs(past, django_capture_on_commit_callbacks):
    w = past.world
    with for_site(w.site):
        past.dry = services.dry_run(w.site, past.year, by=w.master_referent)
        with django_capture_on_commit_callbacks(execute=True):
            past.real = tasks.queue_purge(w.site, past.year, by=w.master_referent)
    return past


def urls(p):
    return {
        "years": (reverse("yearly:years"), "get"),
        "year": (reverse("yearly:year", args=[p.year.pk]), "get"),
        "refresh": (reverse("yearly:refresh", args=[p.year.pk]), "post"),
        "dry_run": (reverse("yearly:dry_run", args=[p.year.pk]), "post"),
        "purge": (reverse("yearly:purge", args=[p.year.pk]), "get"),
        "run": (reverse("yearly:run", args=[p.dry.pk]), "get"),
        "archive": (reverse("yearly:archive", args=[p.real.pk]), "get"),
    }


@pytest.mark.parametrize("role", ["master_referent", "operator"])
def test_master_referents_and_operators_reach_every_page(client, runs, role):
    client.force_login(getattr(runs.world, role))
    for name, (url, method) in urls(runs).items():
        response = getattr(client, method)(url)
        assert response.status_code in (200, 302), (name, response.status_code)


@pytest.mark.parametrize("role", REFUSED)
def test_other_staff_are_refused(client, runs, role):
    client.force_login(getattr(runs.world, role))
    for name, (url, method) in urls(runs).items():
        assert getattr(client, method)(url).status_code == 403, name
    assert PurgeRun.objects.with_scopes_disabled().count() == 2  # no dry run was added


def test_registrants_and_anonymous_are_refused(client, runs):
    for name, (url, method) in urls(runs).items():
        assert getattr(client, method)(url).status_code == 302, name  # to sign in
    client.force_login(runs.world.pupil)
    for name, (url, method) in urls(runs).items():
        assert getattr(client, method)(url).status_code == 403, name


def test_ids_of_another_site_are_not_found(client, runs, other_world):
    with platform_job():
        other = services.dry_run(other_world.site, other_world.year)
    client.force_login(runs.world.master_referent)
    assert client.get(reverse("yearly:year", args=[other_world.year.pk])).status_code == 404
    assert client.post(reverse("yearly:dry_run", args=[other_world.year.pk])).status_code == 404
    assert client.get(reverse("yearly:purge", args=[other_world.year.pk])).status_code == 404
    assert client.get(reverse("yearly:run", args=[other.pk])).status_code == 404
    assert client.get(reverse("yearly:archive", args=[runs.dry.pk])).status_code == 404  # a dry run has none


def test_the_dry_run_page_lists_deleted_and_kept(client, past):
    client.force_login(past.world.master_referent)
    response = client.post(reverse("yearly:dry_run", args=[past.year.pk]))
    run = PurgeRun.objects.with_scopes_disabled().get(dry_run=True)
    assert response.status_code == 302 and response.url == reverse("yearly:run", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert run.samples["accounts"] and run.samples["registrations"]
    for kind in ("accounts", "registrations", "slots", "pupil_records"):
        for sample in run.samples[kind]:
            assert escape(sample) in page, sample
    assert "hx-get" not in page  # finished: no polling


def test_the_purge_needs_the_year_label(client, past, django_capture_on_commit_callbacks):
    client.force_login(past.world.master_referent)
    url = reverse("yearly:purge", args=[past.year.pk])
    response = client.post(url, {"label": "2023-2024"})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not PurgeRun.objects.with_scopes_disabled().exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"label": past.year.label})
    run = PurgeRun.objects.with_scopes_disabled().get()
    assert response.status_code == 302 and response.url == reverse("yearly:run", args=[run.pk])
    assert run.status == PurgeRun.Status.DONE and run.counts["registrations"] == 6


def test_a_year_not_due_is_refused_with_a_message(client, world):
    client.force_login(world.master_referent)
    url = reverse("yearly:purge", args=[world.year.pk])
    response = client.post(url, {"label": world.year.label}, follow=True)
    assert response.status_code == 200
    assert not PurgeRun.objects.with_scopes_disabled().exists()
    assert "alert-warning" in response.content.decode()


def test_a_running_purge_page_polls_its_progress(client, past):
    with for_site(past.world.site):
        run = services.request_purge(past.world.site, past.year, by=past.world.master_referent)  # not started
    PurgeRun.objects.with_scopes_disabled().filter(pk=run.pk).update(status="running", progress=42)
    client.force_login(past.world.master_referent)
    url = reverse("yearly:run", args=[run.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in page and "42" in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="run-status"') and 'aria-valuenow="42"' in partial
    # A second purge of the same year is refused while this one runs.
    with for_site(past.world.site), pytest.raises(services.PurgeRefused):
        services.request_purge(past.world.site, past.year)


def test_statistics_are_computed_on_demand_then_shown(client, past):
    client.force_login(past.world.master_referent)
    assert client.post(reverse("yearly:refresh", args=[past.year.pk])).status_code == 302
    stats = AnnualStatistics.objects.with_scopes_disabled().get(year=past.year)
    assert stats.frozen_at is None and stats.figures["totals"]["registrations"] == 6
    page = client.get(reverse("yearly:year", args=[past.year.pk])).content.decode()
    assert "Terminale" in page and "Lycée Kléber" in page


def test_the_year_list_runs_a_constant_number_of_queries(client, past):
    client.force_login(past.world.master_referent)
    url = reverse("yearly:years")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    today = timezone.localdate()
    with for_site(past.world.site):
        for n in range(3):
            start = today.replace(year=today.year - 5 - n, day=1)
            year = UniversityYear.objects.create(
                site=past.world.site, label=f"old-{n}", start_date=start, accounts_open_date=start,
                end_date=start.replace(year=start.year + 1),
            )  # fmt: skip
            services.dry_run(past.world.site, year)
            services.refresh_statistics(past.world.site, year)
    with CaptureQueriesContext(connection) as second:
        page = client.get(url)
    assert page.status_code == 200 and "old-2" in page.content.decode()
    assert len(second) == len(first)
