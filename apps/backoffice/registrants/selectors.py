"""Reads for the registrants pages: a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.accounts.policy import Action, offer_filter
from apps.catalogue.models import Slot
from apps.records.models import PupilRecord, StudentRecord, VisitorRecord
from apps.registrations.models import (
    LIVE_WAITING_STATUSES,
    GroupRegistration,
    Registration,
    Status,
    WaitingListEntry,
    WaitingStatus,
)
from apps.registrations.pdf import slot_host as host_of  # noqa: F401  (re-exported for the views)
from apps.registrations.rules import Code

SLOT_RELATED = (
    "course__training__structure__establishment",
    "course__training__high_school",
    "event__establishment",
    "event__structure__establishment",
    "event__high_school",
    "period",
    "campus",
    "building",
    "place_high_school",
)

#: How a forced rule is shown in the lists (codes stored in ``Registration.overrides``).
FORCED_LABELS = {
    Code.WINDOW_NOT_OPEN: _("registrations not open yet"),
    Code.WINDOW_CLOSED: _("registration window closed"),
    Code.DEADLINE_PASSED: _("registration deadline passed"),
    Code.RESTRICTED: _("restrictions"),
    Code.HIGH_SCHOOL_GROUPS_ONLY: _("high school takes part in groups only"),
    Code.PERIOD_QUOTA: _("quota per period"),
    Code.TRAINING_QUOTA: _("quota per training"),
}


def forced_label(code):
    return FORCED_LABELS.get(code, code)


def viewable_slots(actor, site):
    """Slots whose registrants the actor may see: managers, consultants and the slot's speakers."""
    return Slot.objects.filter(site=site).filter(offer_filter(actor, Slot, Action.VIEW)).select_related(*SLOT_RELATED)


@dataclass
class Row:
    registration: Registration
    kind: str = ""
    school: str = ""
    level: str = ""
    forced: list = field(default_factory=list)

    @property
    def person(self):
        return self.registration.person


def _records(site, person_ids):
    pupils = {
        r.user_id: r
        for r in PupilRecord.objects.filter(site=site, user_id__in=person_ids).select_related("high_school", "level")
    }
    students = {
        r.user_id: r
        for r in StudentRecord.objects.filter(site=site, user_id__in=person_ids).select_related("institution", "level")
    }
    visitors = set(VisitorRecord.objects.filter(site=site, user_id__in=person_ids).values_list("user_id", flat=True))
    return pupils, students, visitors


def registrant_rows(slot, site):
    """(active rows, cancelled rows) of the slot's individual registrations, sorted by name."""
    registrations = list(
        Registration.objects.filter(slot=slot)
        .select_related("person", "registered_by", "cancellation_reason", "attendance_recorded_by")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    pupils, students, visitors = _records(site, {r.person_id for r in registrations})
    active, cancelled = [], []
    for registration in registrations:
        row = Row(registration, forced=[forced_label(code) for code in registration.overrides])
        if registration.person_id in pupils:
            record = pupils[registration.person_id]
            row.kind, row.school, row.level = _("Pupil"), record.high_school or "", record.level or ""
        elif registration.person_id in students:
            record = students[registration.person_id]
            row.kind, row.school, row.level = _("Student"), record.institution or "", record.level or ""
        elif registration.person_id in visitors:
            row.kind = _("Visitor")
        (active if registration.status == Status.ACTIVE else cancelled).append(row)
    return active, cancelled


def group_registrations(slot):
    return list(
        GroupRegistration.objects.filter(slot=slot, status=Status.ACTIVE)
        .select_related("high_school")
        .order_by("high_school__label", "pk")
    )


def waiting_list(slot):
    """Live entries in line order, with their position among those still waiting (None: holding an offer)."""
    entries = list(
        WaitingListEntry.objects.filter(slot=slot, status__in=LIVE_WAITING_STATUSES)
        .select_related("person")
        .order_by("joined_at", "pk")
    )
    position = 0
    for entry in entries:
        if entry.status == WaitingStatus.WAITING:
            position += 1
            entry.position = position
        else:
            entry.position = None
    return entries


def _registrants_q(site):
    return (
        Q(pk__in=PupilRecord.objects.filter(site=site).values("user_id"))
        | Q(pk__in=StudentRecord.objects.filter(site=site).values("user_id"))
        | Q(pk__in=VisitorRecord.objects.filter(site=site).values("user_id"))
    )


def search_registrants(site, query, limit=20):
    """People with a pupil, student or visitor record on the site matching every word (name or e-mail)."""
    words = query.split()
    if not words or len(query.strip()) < 2:
        return []
    match = Q()
    for word in words[:5]:
        match &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
    return list(User.objects.filter(_registrants_q(site), match).order_by("last_name", "first_name", "pk")[:limit])


def registrant(site, pk):
    """The site's registrant with this id, or None."""
    if not str(pk).isdigit():
        return None
    return User.objects.filter(_registrants_q(site), pk=int(pk)).first()
