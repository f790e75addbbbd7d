"""Load the national directories (global, shared by every site) from CSV files.

Both directories are upserted by UAI: a row is created when its UAI is new, updated when
one of its values changed, and left alone otherwise, so a second run of the same file
writes nothing. Each row is validated first; a bad row (wrong UAI, no label, a value too
long for its column, a UAI seen earlier in the file, extra columns) is reported with its
line number and skipped, never fatal. Only a file that cannot be read at all (missing,
no ``uai``/``label`` column) raises :class:`DirectoryImportError`.

Writes go through ``bulk_create(update_conflicts=True, unique_fields=["uai"])`` in
batches, which both SQLite and PostgreSQL turn into ``INSERT ... ON CONFLICT DO UPDATE``:
a row inserted concurrently between our read and our write is updated, not duplicated.
"""

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from apps.tenancy.scoping import platform_job

from .models import HigherEducationInstitution, SchoolDirectoryEntry

DATA_DIR = Path(settings.BASE_DIR) / "data"
DEFAULT_INSTITUTIONS_FILE = DATA_DIR / "higher_education_institutions.csv"
DEFAULT_SCHOOLS_FILE = DATA_DIR / "uai_directory_sample.csv"

BATCH_SIZE = 1000
UAI_RE = re.compile(r"^[0-9]{7}[A-Z]$")

#: Accepted header names for each column (compared lower-cased, without spaces around).
#: The first name is ours; the others are the usual names of the public exports.
COLUMN_ALIASES = {
    "uai": ("uai", "numero_uai", "code_uai", "identifiant_de_l_etablissement"),
    "label": ("label", "appellation_officielle", "nom_etablissement", "uo_lib"),
    "city": ("city", "commune", "localite_acheminement_uai", "com_nom", "nom_commune"),
    "department": ("department", "departement", "dep_nom", "libelle_departement"),
    "zip_code": ("zip_code", "code_postal", "code_postal_uai"),
    "country": ("country", "pays", "pays_etranger_acheminement"),
    "academy": ("academy", "academie", "aca_nom", "libelle_academie"),
}


class DirectoryImportError(Exception):
    """The file as a whole cannot be imported (missing, unreadable, required column absent)."""


@dataclass
class ImportReport:
    """What one import did. ``errors`` holds one message per skipped line."""

    label: str
    path: Path
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def read(self):
        return self.created + self.updated + self.unchanged + self.skipped

    def skip(self, line, message):
        self.skipped += 1
        self.errors.append(f"{self.path.name}, line {line}: {message}")

    def summary(self):
        return (
            f"{self.label}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped ({self.path})"
        )


def _clean(value):
    """Strip a cell and collapse its inner runs of white space (exports are full of them)."""
    return " ".join((value or "").split())


def _max_lengths(model, fields):
    return {name: model._meta.get_field(name).max_length for name in fields}


def _open_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) for each non-blank record after the header, and the header first."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise DirectoryImportError(f"File not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DirectoryImportError(f"Cannot read {path}: {exc}") from exc
    first_line = text.split("\n", 1)[0]
    # Our files use commas; the ministry's exports use semicolons: take the one the header uses most.
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            # line_num is the line where the record ends: right even for quoted multi-line cells.
            yield reader.line_num, cells
    except csv.Error as exc:
        raise DirectoryImportError(f"{path.name}, line {reader.line_num}: unreadable CSV ({exc})") from exc


def _column_indexes(header, wanted, path):
    names = [cell.strip().lower() for cell in header]
    indexes = {}
    for column in wanted:
        for alias in COLUMN_ALIASES[column]:
            if alias in names:
                indexes[column] = names.index(alias)
                break
    missing = [column for column in ("uai", "label") if column not in indexes]
    if missing:
        raise DirectoryImportError(f"{path.name}: no column for {', '.join(missing)} in the header {header!r}.")
    return indexes


def _valid_rows(path, fields, max_lengths, report) -> Iterator[dict]:
    """Validate each record; yield clean dicts, report and skip the bad ones.

    The first item yielded is the list of optional columns the file actually has (a column
    absent from the file is neither written nor compared, so the model default stays).
    """
    rows = _open_rows(path)
    header_line = next(rows, None)
    if header_line is None:
        raise DirectoryImportError(f"{path.name} is empty.")
    header = header_line[1]
    indexes = _column_indexes(header, ("uai", "label", *fields), path)
    present = [name for name in fields if name in indexes]
    yield present
    seen = {}
    for line, cells in rows:
        if len(cells) > len(header):
            report.skip(line, f"{len(cells)} values for {len(header)} columns (unquoted separator?)")
            continue
        values = {name: _clean(cells[index]) if index < len(cells) else "" for name, index in indexes.items()}
        uai = values["uai"].upper()
        if not uai:
            report.skip(line, "no UAI")
            continue
        if not UAI_RE.match(uai):
            report.skip(line, f"invalid UAI {values['uai']!r} (seven digits and a capital letter expected)")
            continue
        if not values["label"]:
            report.skip(line, f"no label for UAI {uai}")
            continue
        too_long = [name for name, limit in max_lengths.items() if limit and len(values.get(name, "")) > limit]
        if too_long:
            report.skip(line, f"{', '.join(too_long)} too long for UAI {uai}")
            continue
        if uai in seen:
            report.skip(line, f"UAI {uai} already given on line {seen[uai]}")
            continue
        seen[uai] = line
        yield {"uai": uai, "label": values["label"], **{name: values[name] for name in present}}


def _batches(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_directory(
    model,
    path,
    fields,
    *,
    label,
    batch_size=BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert ``model`` rows by UAI from a CSV file. ``fields`` are the columns besides uai and label.

    ``progress`` is called with the number of records handled after each batch (for a progress bar).
    """
    path = Path(path)
    report = ImportReport(label=label, path=path)
    max_lengths = _max_lengths(model, ["label", *fields])
    with platform_job(), transaction.atomic():
        rows = _valid_rows(path, fields, max_lengths, report)
        update_fields = ["label", *next(rows)]
        handled = 0
        for batch in _batches(rows, batch_size):
            uais = [row["uai"] for row in batch]
            existing = {row["uai"]: row for row in model.objects.filter(uai__in=uais).values("uai", *update_fields)}
            to_write = []
            for row in batch:
                current = existing.get(row["uai"])
                if current is None:
                    report.created += 1
                elif any(current[name] != row[name] for name in update_fields):
                    report.updated += 1
                else:
                    report.unchanged += 1
                    continue
                to_write.append(model(**row))
            if to_write:
                model.objects.bulk_create(
                    to_write,
                    batch_size=batch_size,
                    update_conflicts=True,
                    unique_fields=["uai"],
                    update_fields=update_fields,
                )
            handled = _report_progress(progress, report, handled)
        _report_progress(progress, report, handled)
    return report


def _report_progress(progress, report, handled):
    if progress and report.read > handled:
        progress(report.read - handled)
    return report.read


def import_institutions(path=DEFAULT_INSTITUTIONS_FILE, **kwargs) -> ImportReport:
    """Higher-education institutions: columns uai, label, city, department, zip_code, country."""
    return import_directory(
        HigherEducationInstitution,
        path,
        ["city", "department", "zip_code", "country"],
        label="Higher-education institutions",
        **kwargs,
    )


def import_schools(path=DEFAULT_SCHOOLS_FILE, **kwargs) -> ImportReport:
    """Schools of the UAI directory: columns uai, label, city, academy."""
    return import_directory(SchoolDirectoryEntry, path, ["city", "academy"], label="Schools (UAI directory)", **kwargs)


def count_records(path) -> int:
    """Number of non-blank lines after the header: the total of a progress bar (cheap, approximate)."""
    try:
        with Path(path).open(encoding="utf-8-sig") as handle:
            return max(sum(1 for line in handle if line.strip()) - 1, 0)
    except OSError:
        return 0


def directories_need_loading() -> bool:
    """True when either directory is still empty (a fresh database)."""
    return not (HigherEducationInstitution.objects.exists() and SchoolDirectoryEntry.objects.exists())


def load_default_directories(**kwargs) -> list[ImportReport]:
    """Both directories from the files shipped in ``data/``."""
    return [import_institutions(**kwargs), import_schools(**kwargs)]
