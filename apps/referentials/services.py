"""Seed a site's reference lists from ``data/reference_lists.json`` (public facts).

:func:`seed_reference_data` creates what is missing and realigns what the file defines
(position in file order, flags, kind, code) on each list's natural key; it never deletes
nor deactivates anything, and leaves ``is_active`` as the site set it. Running it twice
writes nothing the second time.
"""

import json
import unicodedata
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django_scopes import get_scope

from apps.tenancy.scoping import for_site

from .models import (
    BachelorType,
    CancellationReason,
    CourseType,
    EventType,
    GeneralSpeciality,
    HighSchoolLevel,
    PostBachelorLevel,
    PublicType,
    StudentLevel,
    TechnologicalSeries,
    TrainingDomain,
    TrainingSubdomain,
)

REFERENCE_FILE = Path(settings.BASE_DIR) / "data" / "reference_lists.json"

#: Reasons only the platform uses when it cancels on its own (an expired document...).
#: Managers may pick them too; registrants never.
SYSTEM_CANCELLATION_REASONS = ("Pièce justificative manquante ou expirée",)

_BACHELOR_KINDS = (
    ("general", BachelorType.Kind.GENERAL),
    ("techno", BachelorType.Kind.TECHNOLOGICAL),
    ("profession", BachelorType.Kind.PROFESSIONAL),
)


def _plain(text):
    """Lower-case, without accents: 'Général' -> 'general'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def bachelor_kind(label):
    plain = _plain(label)
    for prefix, kind in _BACHELOR_KINDS:
        if plain.startswith(prefix):
            return kind
    raise ValueError(f"Unknown bachelor type {label!r}: expected general, technological or professional.")


def series_code(label):
    """'STMG - Sciences et technologies du management...' -> 'STMG'."""
    return label.split(" - ", 1)[0].strip()


def _same(obj, name, value):
    if isinstance(value, models.Model):
        return getattr(obj, f"{name}_id") == value.pk
    return getattr(obj, name) == value


class _Seeder:
    """Upserts rows of one site, reading each model's rows once (the lists are short)."""

    def __init__(self, site):
        self.site = site
        self.summary = {}
        self._rows = {}

    def _count(self, key, outcome):
        bucket = self.summary.setdefault(key, {"created": 0, "updated": 0, "unchanged": 0})
        bucket[outcome] += 1

    def _existing(self, model):
        if model not in self._rows:
            self._rows[model] = list(model.objects.filter(site=self.site))
        return self._rows[model]

    def upsert(self, key, model, lookups, values):
        """Find the row by the first natural key that matches; create it or bring ``values`` up to date.

        ``lookups`` lists alternative natural keys (e.g. code, then label), each a dict.
        """
        rows = self._existing(model)
        obj = None
        for lookup in lookups:
            obj = next((row for row in rows if all(_same(row, k, v) for k, v in lookup.items())), None)
            if obj is not None:
                break
        if obj is None:
            obj = model.objects.create(site=self.site, **lookups[0], **values)
            rows.append(obj)
            self._count(key, "created")
            return obj
        wanted = {**lookups[0], **values}
        changed = [name for name, value in wanted.items() if not _same(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, wanted[name])
            obj.save(update_fields=changed)
            self._count(key, "updated")
        else:
            self._count(key, "unchanged")
        return obj

    def labels(self, key, model, labels, extra=None):
        for position, label in enumerate(labels, start=1):
            values = {"position": position, **(extra(label) if extra else {})}
            self.upsert(key, model, [{"label": label}], values)


def load_reference_lists(path=REFERENCE_FILE):
    with Path(path).open(encoding="utf-8") as handle:
        return json.load(handle)


def _check_scope(site):
    current = get_scope()
    if current.get("_enabled") and current.get("site") is not None and current["site"] != site:
        raise ValueError(f"seed_reference_data({site}) called inside the scope of another site.")


def seed_reference_data(site, path=REFERENCE_FILE):
    """Create or update every reference list of ``site``. Returns {list: {created, updated, unchanged}}.

    Works inside ``for_site(site)`` or ``platform_job()`` (it activates the site's scope itself),
    and refuses to run inside another site's scope.
    """
    _check_scope(site)
    data = load_reference_lists(path)
    seeder = _Seeder(site)
    with for_site(site), transaction.atomic():
        for position, level in enumerate(data["high_school_levels"], start=1):
            values = {
                "position": position,
                "is_post_bachelor": bool(level.get("post_bachelor", False)),
                "requires_speciality": bool(level.get("requires_speciality", False)),
                # National MEFSTAT4 codes of the level, to recognise EduConnect pupils' level.
                "mefstat4_codes": ",".join(level.get("mefstat4", [])),
            }
            seeder.upsert("high_school_levels", HighSchoolLevel, [{"label": level["label"]}], values)
        seeder.labels("post_bachelor_levels", PostBachelorLevel, data["post_bachelor_levels"])
        seeder.labels("student_levels", StudentLevel, data["student_levels"])
        seeder.labels(
            "bachelor_types", BachelorType, data["bachelor_types"], extra=lambda label: {"kind": bachelor_kind(label)}
        )
        for position, label in enumerate(data["technological_bachelor_series"], start=1):
            lookups = [{"code": series_code(label)}, {"label": label}]
            seeder.upsert("technological_series", TechnologicalSeries, lookups, {"label": label, "position": position})
        seeder.labels("general_specialities", GeneralSpeciality, data["general_bachelor_specialities"])
        for position, (domain_label, subdomains) in enumerate(data["training_domains"].items(), start=1):
            domain = seeder.upsert(
                "training_domains", TrainingDomain, [{"label": domain_label}], {"position": position}
            )
            for sub_position, label in enumerate(subdomains, start=1):
                lookups = [{"domain": domain, "label": label}]
                seeder.upsert("training_subdomains", TrainingSubdomain, lookups, {"position": sub_position})
        for position, (code, label) in enumerate(data["course_types"], start=1):
            lookups = [{"code": code}, {"label": label}]
            seeder.upsert("course_types", CourseType, lookups, {"label": label, "position": position})
        _seed_cancellation_reasons(seeder, data["cancellation_reasons"])
        seeder.labels("public_types", PublicType, data["public_types"])
        seeder.labels("event_types", EventType, data["event_types"])
    return seeder.summary


def _seed_cancellation_reasons(seeder, labels):
    labels = list(labels) + [label for label in SYSTEM_CANCELLATION_REASONS if label not in labels]
    for position, label in enumerate(labels, start=1):
        system = label in SYSTEM_CANCELLATION_REASONS
        values = {
            "position": position,
            "usable_by_registrants": not system,
            "usable_by_managers": True,
            "usable_by_system": system,
        }
        seeder.upsert("cancellation_reasons", CancellationReason, [{"label": label}], values)
