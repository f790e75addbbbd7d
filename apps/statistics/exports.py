"""CSV and XLSX exports of courses, slots and registrations, safe to open in a spreadsheet.

* CSV: UTF-8 with a byte order mark (so that Excel reads the accents right), ``;`` between
  fields (what French Excel expects, as the comma is the decimal separator there), fields
  quoted when they hold a ``;``, a quote or a line break; streamed, so memory stays flat.
* XLSX: openpyxl in write-only mode; text cells are stored as text, never as formulas.
* Formula injection (OWASP "CSV injection"): every text cell starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return is prefixed with a single quote, by :func:`neutralise`, used by both.
* Registrations are nominative (names, e-mail) only on the rows whose slot the viewer manages
  (``can(actor, Action.CHANGE, slot, site)``: its establishment / structure referents, the
  master referent); other rows, and every row of a high-school referent, are anonymised: a
  stable pseudonymous id per person and site instead of the person.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import BytesIO

from django.db.models import Count, Q
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.policy import Action, can
from apps.registrations.models import Status
from apps.tenancy.scoping import for_site

from . import selectors
from .selectors import ATTENDED, POPULATION_LABELS, Scope

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
CHUNK_SIZE = 500

KINDS = {
    "courses": gettext_lazy("Courses"),
    "slots": gettext_lazy("Slots"),
    "registrations": gettext_lazy("Registrations"),
}
FORMATS = ("csv", "xlsx")


def neutralise(value):
    """A cell value that no spreadsheet will run as a formula (text cells only; numbers stay numbers)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def pseudonym(site_id, person_id) -> str:
    """A stable id for a person on a site that reveals nothing about them (keyed with SECRET_KEY)."""
    return salted_hmac("apps.statistics.pseudonym", f"{site_id}:{person_id}").hexdigest()[:16]


@dataclass
class Table:
    """An export: its header and a function returning its rows (run inside the site's scope)."""

    kind: str
    headers: list
    rows: Callable[[], Iterable[list]]


def _yes_no(value):
    return _("Yes") if value else _("No")


# --- The three tables -----------------------------------------------------------------


def courses_table(scope: Scope, filters) -> Table:
    headers = [
        _("Course"),
        _("Name"),
        _("Training"),
        _("Structure"),
        _("Host establishment"),
        _("Published"),
        _("Slots"),
        _("Registrations"),
    ]

    def rows():
        queryset = (
            selectors.courses(scope, filters)
            .select_related("training__structure__establishment", "training__high_school")
            .annotate(
                slot_count=Count("slots", distinct=True),
                registration_count=Count(
                    "slots__registrations", filter=Q(slots__registrations__status=Status.ACTIVE), distinct=True
                ),
            )
            .order_by("label", "pk")
        )
        for course in queryset.iterator(chunk_size=CHUNK_SIZE):
            training = course.training
            structure = training.structure
            host = structure.establishment.label if structure else training.high_school.label
            yield [
                course.pk,
                course.label,
                training.label,
                structure.label if structure else "",
                host,
                _yes_no(course.published),
                course.slot_count,
                course.registration_count,
            ]

    return Table("courses", headers, rows)


def slots_table(scope: Scope, filters) -> Table:
    headers = [
        _("Slot"),
        _("Course or event"),
        _("Kind"),
        _("Training"),
        _("Host establishment"),
        _("Period"),
        _("Date"),
        _("Start"),
        _("End"),
        _("Place"),
        _("Individual places"),
        _("Places taken"),
        _("Active registrations"),
        _("Attended"),
        _("Published"),
        _("Slot cancelled"),
    ]

    def rows():
        queryset = (
            selectors.slots(scope, filters)
            .select_related("course__training", "event", "period")
            .annotate(
                host=selectors.host_expression(prefix=""),
                registered=Count("registrations", filter=Q(registrations__status=Status.ACTIVE), distinct=True),
                attended=Count(
                    "registrations",
                    filter=Q(registrations__status=Status.ACTIVE, registrations__attendance__in=ATTENDED),
                    distinct=True,
                ),
            )
            .order_by("date", "start_time", "pk")
        )
        for slot in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield [
                slot.pk,
                slot.offer_label,
                _("Course") if slot.course_id else _("Event"),
                slot.course.training.label if slot.course_id else "",
                slot.host or "",
                slot.period.label,
                slot.date,
                slot.start_time,
                slot.end_time,
                slot.get_place_display(),
                slot.individual_places,
                slot.individual_places_taken,
                slot.registered,
                slot.attended,
                _yes_no(slot.published),
                _yes_no(slot.cancelled_at),
            ]

    return Table("slots", headers, rows)


def registrations_table(scope: Scope, filters) -> Table:
    headers = [
        _("Registration"),
        _("Person (pseudonymous id)"),
        _("Last name"),
        _("First name"),
        _("E-mail"),
        _("Population"),
        _("High school"),
        _("Level"),
        _("Slot"),
        _("Course or event"),
        _("Training"),
        _("Host establishment"),
        _("Period"),
        _("Date"),
        _("Start"),
        _("Status"),
        _("Attendance"),
        _("Registered on"),
    ]
    site = scope.site

    def rows():
        queryset = (
            selectors.registrations(scope, filters)
            .select_related(
                "person",
                "slot__course__training__structure",
                "slot__course__training__high_school",
                "slot__event",
                "slot__period",
            )
            .annotate(
                population=selectors.population_expression(site),
                high_school=selectors.high_school_expression(site),
                level=selectors.level_expression(site),
                host=selectors.host_expression(),
            )
            .order_by("slot__date", "slot__start_time", "slot_id", "pk")
        )
        for registration in queryset.iterator(chunk_size=CHUNK_SIZE):
            slot, person = registration.slot, registration.person
            # Managers of the slot's owner (and the master referent) see who; the others, a pseudonym.
            nominative = scope.mode == selectors.OFFER and can(scope.actor, Action.CHANGE, slot, site)
            yield [
                registration.pk,
                pseudonym(site.pk, registration.person_id),
                person.last_name if nominative else "",
                person.first_name if nominative else "",
                person.email if nominative else "",
                POPULATION_LABELS.get(registration.population, registration.population),
                registration.high_school or "",
                registration.level or "",
                slot.pk,
                slot.offer_label,
                slot.course.training.label if slot.course_id else "",
                registration.host or "",
                slot.period.label,
                slot.date,
                slot.start_time,
                registration.get_status_display(),
                registration.get_attendance_display(),
                registration.registered_at,
            ]

    return Table("registrations", headers, rows)


TABLES = {"courses": courses_table, "slots": slots_table, "registrations": registrations_table}


# --- Writing ---------------------------------------------------------------------------


def _plain(value):
    """A Python value as the text of a CSV field."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return neutralise(value)


class _Echo:
    """A file-like object whose ``write`` hands the line back, for streaming ``csv.writer``."""

    def write(self, value):
        return value


def csv_lines(table: Table, site, language):
    """The lines of a CSV file (BOM first), produced inside the site's scope and the viewer's language."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff"
    yield writer.writerow([_plain(header) for header in table.headers])
    # The response streams after the view (and its scope) returned: enter them again.
    with for_site(site), translation.override(language):
        for row in table.rows():
            yield writer.writerow([_plain(value) for value in row])


def _xlsx_value(sheet, value):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    value = neutralise(value)
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # text, never a formula
    return cell


def xlsx_bytes(table: Table, title) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    sheet.append([_xlsx_value(sheet, header) for header in table.headers])
    for row in table.rows():
        sheet.append([_xlsx_value(sheet, value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _filename(table: Table, site, extension):
    return filename(table.kind, site, extension)


def filename(kind, site, fmt):
    return f"{kind}-{site.slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"


ROW_QUERIES = {"courses": selectors.courses, "slots": selectors.slots, "registrations": selectors.registrations}


def row_count(kind, scope: Scope, filters) -> int:
    """How many rows the export holds (one query), for the action log."""
    return ROW_QUERIES[kind](scope, filters).count()


def may_name_people(kind, scope: Scope) -> bool:
    """Whether the export may hold names: registrations, for whoever manages some of their slots."""
    actor = scope.actor
    manager = actor.is_master or bool(actor.managed_establishments or actor.managed_structures)
    return kind == "registrations" and scope.mode == selectors.OFFER and manager


def export_response(kind, fmt, scope: Scope, filters):
    table = TABLES[kind](scope, filters)
    site = scope.site
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(table, site, translation.get_language()), content_type="text/csv; charset=utf-8"
        )
        extension = "csv"
    else:
        response = HttpResponse(
            xlsx_bytes(table, KINDS[kind]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        extension = "xlsx"
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, site, extension)}"'
    response["Cache-Control"] = "private, no-store"
    return response
