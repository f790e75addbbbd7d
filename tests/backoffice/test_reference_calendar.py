"""The university years, their periods, holidays and vacations."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.academic_calendar.models import Holiday, Period, UniversityYear, Vacation
from apps.tenancy.scoping import for_site
from tests.backoffice import reference_support as support
from tests.backoffice.reference_support import sign_in, url

client = support.client
private_media = support.private_media
ref_world = support.ref_world  # the area's fixtures


@pytest.fixture
def master(client, ref_world):
    return sign_in(client, ref_world, "master_referent")


def year_data(**changes):
    data = {
        "label": "2030-2031",
        "start_date": "2030-09-01",
        "end_date": "2031-08-31",
        "accounts_open_date": "2030-08-15",
        "purge_date": "2031-09-30",
    }
    data.update(changes)
    return data


def test_create_a_year_and_make_it_current(master, ref_world):
    w = ref_world
    response = master.post(url("reference_year_create"), year_data())
    assert response.status_code == 302
    with for_site(w.site):
        new = UniversityYear.objects.get(label="2030-2031")
    assert not new.is_active
    w.year.refresh_from_db()
    assert w.year.is_active
    response = master.post(url("reference_year_edit", new.pk), year_data(make_current="on"))
    assert response.status_code == 302
    new.refresh_from_db()
    w.year.refresh_from_db()
    assert new.is_active and not w.year.is_active
    # The current year stops being current only when another one takes its place.
    response = master.post(url("reference_year_edit", new.pk), year_data())
    assert response.status_code == 200 and "make_current" in response.context["form"].errors
    new.refresh_from_db()
    assert new.is_active


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": "2030-08-01"}, "end_date"),
        ({"accounts_open_date": "2031-10-01"}, "end_date"),
        ({"purge_date": "2031-01-01"}, "purge_date"),
        ({"start_date": "not a date"}, "start_date"),
    ],
)
def test_year_dates_are_checked(master, ref_world, changes, field):
    response = master.post(url("reference_year_create"), year_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    with for_site(ref_world.site):
        assert not UniversityYear.objects.filter(label="2030-2031").exists()


def test_year_label_unique_per_site(master, ref_world, other_world):
    response = master.post(url("reference_year_create"), year_data(label="year"))
    assert response.status_code == 200 and response.context["form"].errors
    with for_site(other_world.site):
        assert UniversityYear.objects.filter(label="year").exists()  # beta has its own "year"


def period_data(w, **changes):
    start = w.year.start_date + dt.timedelta(days=10)
    data = {
        "label": "Printemps",
        "registration_start": f"{start:%Y-%m-%d}T08:00",
        "registration_end": f"{start + dt.timedelta(days=20):%Y-%m-%d}T18:00",
        "immersion_start": f"{start + dt.timedelta(days=5):%Y-%m-%d}",
        "immersion_end": f"{start + dt.timedelta(days=40):%Y-%m-%d}",
        "quota_per_person": 3,
        "deadline_policy": "slot",
        "registration_hours_before": 48,
        "cancellation_hours_before": 24,
    }
    data.update(changes)
    return data


def test_periods(master, ref_world):
    w = ref_world
    response = master.post(url("reference_year_part_create", w.year.pk, "periods"), period_data(w))
    assert response.status_code == 302
    with for_site(w.site):
        period = Period.objects.get(label="Printemps")
    assert period.year == w.year and period.registration_hours_before == 48
    # Same label in the same year: form error.
    response = master.post(url("reference_year_part_create", w.year.pk, "periods"), period_data(w))
    assert response.status_code == 200 and response.context["form"].errors
    # Windows in the wrong order, or outside the year.
    bad = period_data(w, label="Bad", registration_end=period_data(w)["registration_start"])
    response = master.post(url("reference_year_part_create", w.year.pk, "periods"), bad)
    assert "registration_end" in response.context["form"].errors
    bad = period_data(w, label="Bad", immersion_end=f"{w.year.end_date + dt.timedelta(days=3):%Y-%m-%d}")
    response = master.post(url("reference_year_part_create", w.year.pk, "periods"), bad)
    assert "immersion_end" in response.context["form"].errors
    bad = period_data(w, label="Bad", quota_per_person=0)
    response = master.post(url("reference_year_part_create", w.year.pk, "periods"), bad)
    assert "quota_per_person" in response.context["form"].errors
    edited = period_data(w, label="Printemps", deadline_policy="period")
    assert master.post(url("reference_year_part_edit", w.year.pk, "periods", period.pk), edited).status_code == 302
    period.refresh_from_db()
    assert period.deadline_policy == "period"
    assert master.post(url("reference_year_part_delete", w.year.pk, "periods", period.pk)).status_code == 302


def test_a_period_with_slots_is_not_deleted(master, ref_world):
    w = ref_world
    response = master.post(url("reference_year_part_delete", w.year.pk, "periods", w.period.pk))
    assert response.status_code == 409
    with for_site(w.site):
        assert Period.objects.filter(pk=w.period.pk).exists()
    # ... nor the year holding it (its periods would go with it).
    assert master.post(url("reference_year_delete", w.year.pk)).status_code == 409


def test_holidays_and_vacations(master, ref_world, other_world):
    w = ref_world
    day = w.year.start_date + dt.timedelta(days=30)
    holiday = {"label": "Armistice", "date": f"{day:%Y-%m-%d}"}
    assert master.post(url("reference_year_part_create", w.year.pk, "holidays"), holiday).status_code == 302
    response = master.post(url("reference_year_part_create", w.year.pk, "holidays"), holiday)
    assert response.status_code == 200 and response.context["form"].errors  # one holiday per date
    outside = {"label": "Far", "date": f"{w.year.end_date + dt.timedelta(days=1):%Y-%m-%d}"}
    response = master.post(url("reference_year_part_create", w.year.pk, "holidays"), outside)
    assert "date" in response.context["form"].errors
    vacation = {
        "label": "Toussaint",
        "start_date": f"{day:%Y-%m-%d}",
        "end_date": f"{day + dt.timedelta(days=7):%Y-%m-%d}",
    }
    assert master.post(url("reference_year_part_create", w.year.pk, "vacations"), vacation).status_code == 302
    response = master.post(url("reference_year_part_create", w.year.pk, "vacations"), vacation)
    assert response.status_code == 200 and response.context["form"].errors  # same label in the year
    backwards = {**vacation, "label": "Noël", "end_date": f"{day - dt.timedelta(days=1):%Y-%m-%d}"}
    response = master.post(url("reference_year_part_create", w.year.pk, "vacations"), backwards)
    assert "end_date" in response.context["form"].errors
    with for_site(w.site):
        assert Holiday.objects.filter(year=w.year).count() == 1
        assert Vacation.objects.filter(year=w.year).count() == 1
        holiday_row = Holiday.objects.get(label="Armistice")
    page = master.get(url("reference_year_edit", w.year.pk)).content.decode()
    assert "Armistice" in page and "Toussaint" in page
    # A holiday is reached through its own year only.
    with for_site(w.site):
        other_year = UniversityYear.objects.create(
            site=w.site,
            label="next",
            start_date=dt.date(2040, 9, 1),
            end_date=dt.date(2041, 8, 31),
            accounts_open_date=dt.date(2040, 9, 1),
        )
    assert master.get(url("reference_year_part_edit", other_year.pk, "holidays", holiday_row.pk)).status_code == 404
    assert master.post(url("reference_year_part_delete", w.year.pk, "holidays", holiday_row.pk)).status_code == 302


def test_years_list_queries_are_constant(master, ref_world):
    w = ref_world

    def add(n, start):
        with for_site(w.site):
            for i in range(start, start + n):
                UniversityYear.objects.create(
                    site=w.site,
                    label=f"Y{i}",
                    start_date=dt.date(2000 + i, 9, 1),
                    end_date=dt.date(2001 + i, 8, 31),
                    accounts_open_date=dt.date(2000 + i, 9, 1),
                )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert master.get(url("reference_years") + "?q=").status_code == 200
        return len(queries)

    add(2, 0)
    count()
    few = count()
    add(27, 2)
    assert count() == few


def test_every_calendar_page_renders(master, ref_world):
    w = ref_world
    day = w.year.start_date + dt.timedelta(days=3)
    with for_site(w.site):
        holiday = Holiday.objects.create(site=w.site, year=w.year, label="Férié", date=day)
        vacation = Vacation.objects.create(site=w.site, year=w.year, label="Hiver", start_date=day, end_date=day)
    paths = [url("reference_years"), url("reference_year_create"), url("reference_year_edit", w.year.pk)]
    for part, row in (("periods", w.period), ("holidays", holiday), ("vacations", vacation)):
        paths += [
            url("reference_year_part_create", w.year.pk, part),
            url("reference_year_part_edit", w.year.pk, part, row.pk),
            url("reference_year_part_delete", w.year.pk, part, row.pk),
        ]
    for path in paths:
        response = master.get(path, follow=True)
        assert response.status_code == 200, path
        assert response.content.decode().count("<h1") == 1
