"""Which documents a record needs today, and where each stands. Fixed number of queries.

Age is computed from the birth date at every call (``record.is_minor(on)``): nothing is
stored, so a pupil who turns 18 stops needing the minors' documents that very day.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from apps.records.models import PupilRecord, VisitorRecord

from .models import Attestation, AttestationType

MISSING, VALID, EXPIRED = "missing", "valid", "expired"


@dataclass
class DocumentStatus:
    """Where one document type stands for one person."""

    attestation_type: AttestationType
    attestation: Attestation | None = None  # the current (non-archived) one
    state: str = MISSING
    history: list = field(default_factory=list)  # archived ones, newest first (my documents page only)

    @property
    def is_valid(self):
        return self.state == VALID

    @property
    def mandatory(self):
        return self.attestation_type.mandatory


def profile_filter(record, on=None):
    """The type flag that applies to this record's profile, as a filter (None: no profile)."""
    if isinstance(record, PupilRecord):
        with_agreement = record.high_school_id is not None and record.high_school.has_agreement(on)
        return Q(for_pupils_with_agreement=True) if with_agreement else Q(for_pupils_without_agreement=True)
    if isinstance(record, VisitorRecord):
        return Q(for_visitors=True)
    return None


def _applicable_filter(records, on):
    condition = None
    for record in records:
        profile = profile_filter(record, on)
        if profile is None:
            continue
        if not record.is_minor(on):
            profile &= Q(minors_only=False)
        condition = profile if condition is None else condition | profile
    return condition


def applicable_types(site, records, on=None):
    """The active types that apply to any of these records (one query)."""
    on = on or timezone.localdate()
    condition = _applicable_filter(records, on)
    if condition is None:
        return []
    return list(AttestationType.objects.filter(condition, site=site, is_active=True).order_by("position", "label"))


def required_types(record, on=None):
    """The active types (mandatory or optional) that apply to this record on a day (today)."""
    return applicable_types(record.site_id, [record], on)


def state_of(attestation, on=None):
    if attestation is None or attestation.archived_at is not None:
        return MISSING
    return EXPIRED if attestation.is_expired(on) else VALID


def _statuses(site, user, types, on, with_history=False):
    if not types:
        return []
    attestations = Attestation.objects.filter(site=site, user=user, attestation_type__in=types)
    if not with_history:
        attestations = attestations.filter(archived_at__isnull=True)
    by_type = {}
    for attestation in attestations.order_by("-uploaded_at", "-pk"):
        by_type.setdefault(attestation.attestation_type_id, []).append(attestation)
    statuses = []
    for attestation_type in types:
        rows = by_type.get(attestation_type.pk, [])
        current = next((a for a in rows if a.archived_at is None), None)
        if current is not None:
            current.attestation_type = attestation_type
        statuses.append(
            DocumentStatus(
                attestation_type=attestation_type,
                attestation=current,
                state=state_of(current, on),
                history=[a for a in rows if a.archived_at is not None],
            )
        )
    return statuses


def document_status(record, on=None):
    """For each type this record needs: the current attestation (or None) and its state."""
    on = on or timezone.localdate()
    return _statuses(record.site_id, record.user_id, required_types(record, on), on)


def missing_mandatory(record, on=None):
    """The mandatory types without a valid document: the registration engine's check."""
    return [s.attestation_type for s in document_status(record, on) if s.mandatory and not s.is_valid]


def registrant_records(site, user):
    """The person's records on this site that may need documents (two queries)."""
    records = list(PupilRecord.objects.filter(site=site, user=user).select_related("high_school"))
    records += list(VisitorRecord.objects.filter(site=site, user=user))
    return records


def my_documents(site, user, on=None):
    """Everything the "my documents" page shows (four queries, whatever the number of files)."""
    on = on or timezone.localdate()
    records = registrant_records(site, user)
    statuses = _statuses(site, user, applicable_types(site, records, on), on, with_history=True)
    return {
        "has_record": bool(records),
        "mandatory": [s for s in statuses if s.mandatory],
        "optional": [s for s in statuses if not s.mandatory],
    }
