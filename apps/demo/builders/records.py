"""Records of the demo registrants: validated, waiting, rejected, and a possible duplicate pair.

A record is created through :func:`apps.records.services.ensure_record` (with its role), then
filled once from the spec, with its status and the dates and validator a real validation
would have left (validated ⇒ ``validated_at``, rejected ⇒ a reason). A record that already
exists is left as it is, unless it is still "to complete" (nothing was decided on it yet):
running again never undoes what someone did during the demo. Birth dates are computed from
``today`` on that first filling only.

Saving a record with a birth date runs the duplicate detection (``apps.duplicates.signals``):
the two "Élodie Martin" records flag one pair, as a real sign-up would.
"""

import datetime as dt
import re

from django.utils import timezone

from apps.directories.models import HigherEducationInstitution
from apps.records.models import KIND_MODELS, PupilRecord, RecordStatus
from apps.records.services import KIND_ROLES, ensure_record
from apps.referentials.models import (
    BachelorType,
    GeneralSpeciality,
    HighSchoolLevel,
    PostBachelorLevel,
    PublicType,
    StudentLevel,
    TechnologicalSeries,
)

FILLER_KEY = re.compile(r"^pupil\d+$")


def birth_date(today, age, days):
    """A birth date giving ``age`` years on ``today``, the last birthday ``days`` days ago (0-364)."""
    try:
        anniversary = today.replace(year=today.year - age)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - age, day=28)
    return anniversary - dt.timedelta(days=days % 365)


class _References:
    """The site's reference data, by label (series by code), loaded once."""

    def __init__(self):
        self.levels = {item.label: item for item in HighSchoolLevel.objects.all()}
        self.post_bac = {item.label: item for item in PostBachelorLevel.objects.all()}
        self.student_levels = {item.label: item for item in StudentLevel.objects.all()}
        self.bachelor = {item.kind: item for item in BachelorType.objects.all()}
        self.series = {item.code: item for item in TechnologicalSeries.objects.all()}
        self.specialities = {item.label: item for item in GeneralSpeciality.objects.all()}
        self.public_types = {item.label: item for item in PublicType.objects.all()}


def filler_records(spec):
    """Record specs of the filler pupils (pupil01...), taken in turn from ``filler_records``."""
    profiles = spec.get("filler_records") or []
    items = {}
    for number in range(1, spec["offer"]["filler_pupils"] + 1):
        if not profiles:
            break
        uai, level, class_name, bachelor, detail = profiles[(number - 1) % len(profiles)]
        item = {
            "kind": "pupil",
            "status": "validated",
            "age": spec["level_ages"][level],
            "days": 17 + 29 * number,
            "high_school": uai,
            "level": level,
            "class_name": class_name,
            "bachelor": bachelor,
            "consents": number % 3 != 0,
            "submitted": 20 + number,
            "decided": 18 + number,
        }
        if isinstance(detail, list):
            item["specialities"] = detail
        elif isinstance(detail, tuple):
            item["series"], item["post_bac"] = detail
        elif detail:
            item["series"] = detail
        items[f"pupil{number:02d}"] = item
    return items


def _users_by_key(people):
    users = {item["key"]: user for item, user in people.accounts}
    for user in people.pupils:
        key = user.email.split("@")[0]
        if FILLER_KEY.match(key):
            users[key] = user
    return users


def build_records(site, spec, stats, orgs, people, today):
    """Create or complete the records of the spec; returns {account key: record}."""
    items = {**spec.get("records", {}), **filler_records(spec)}
    if not items:
        return {}
    users = _users_by_key(people)
    refs = _References()
    uais = {item["institution"] for item in items.values() if item.get("institution")}
    institutions = {i.uai: i for i in HigherEducationInstitution.objects.filter(uai__in=uais)}
    records = {}
    for key, item in items.items():
        user = users.get(key)
        if user is None:
            continue
        model = KIND_MODELS[item["kind"]]
        record = model.objects.filter(site=site, user=user).first()
        if record is not None and record.status != RecordStatus.TO_COMPLETE:
            records[key] = record
            continue
        outcome = "created" if record is None else "updated"
        record = ensure_record(site, user, KIND_ROLES[item["kind"]])
        _fill(record, item, refs, orgs, institutions, today)
        _decide(record, item, validator=_validator(spec, item, people))
        record.save()
        if isinstance(record, PupilRecord):
            record.specialities.set([refs.specialities[label] for label in item.get("specialities", ())])
        stats.count(model, outcome)
        records[key] = record
    return records


def _fill(record, item, refs, orgs, institutions, today):
    record.birth_date = birth_date(today, item["age"], item["days"])
    record.phone = item.get("phone", "")
    kind = item["kind"]
    if kind == "pupil":
        record.high_school = orgs.high_schools[item["high_school"]]
        record.level = refs.levels[item["level"]]
        record.class_name = item.get("class_name", "")
        record.bachelor_type = refs.bachelor[item["bachelor"]]
        record.series = refs.series[item["series"]] if item.get("series") else None
        record.post_bachelor_level = refs.post_bac[item["post_bac"]] if item.get("post_bac") else None
        record.consent_high_school_sees_immersions = bool(item.get("consents"))
        record.consent_name_visible_to_registrants = bool(item.get("consents"))
    elif kind == "student":
        record.institution = institutions.get(item["institution"])
        record.level = refs.student_levels[item["level"]]
        record.origin_bachelor_type = refs.bachelor[item["bachelor"]]
    else:
        record.visitor_type = refs.public_types[item["visitor_type"]]
        record.motivation = item["motivation"]


def _validator(spec, item, people):
    """Who validated: the referent of the pupil's high school, else the master referent.

    Students are validated at once when their record is complete (nobody validates them).
    """
    if item["kind"] == "student":
        return None
    key = spec.get("validators", {}).get(item.get("high_school"), "master")
    return people.by_key.get(key) or people.by_key.get("master")


def _decide(record, item, validator):
    """Status and the dates the workflow would have left (see apps.records.services)."""
    now = timezone.now()
    status = RecordStatus(item["status"])
    record.status = status
    record.submitted_at = now - dt.timedelta(days=item["submitted"])
    decided = now - dt.timedelta(days=item.get("decided", item["submitted"]))
    if status == RecordStatus.VALIDATED:
        record.validated_at = decided
        record.validated_by = validator
    elif status == RecordStatus.REJECTED:
        record.rejected_at = decided
        record.rejection_reason = item["reason"]
