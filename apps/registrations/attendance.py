"""Attendance: speakers and managers say who came, once the slot has started."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.policy import Action, can
from apps.audit.services import changes
from apps.catalogue.models import Slot
from apps.catalogue.selectors import slot_start

from .log import log
from .models import Attendance, Registration, Status

ENTERABLE = (Attendance.PRESENT, Attendance.REMOTE, Attendance.ABSENT, Attendance.NOT_ENTERED)


def attendance_problem(slot, *, by, site, now=None):
    """Why ``by`` may not enter attendance on this slot now (None: they may)."""
    if not can(by, Action.RECORD_ATTENDANCE, slot, site):
        return _("You may not record attendance on this slot.")
    if slot.cancelled_at is not None:
        return _("This slot has been cancelled.")
    if (now or timezone.now()) < slot_start(slot):
        return _("Attendance can be entered once the slot has started.")
    return None


@transaction.atomic
def record_attendance(slot, values, *, by, site) -> int:
    """Set attendance for registrations of this slot. ``values``: {registration id: Attendance value}.

    Ids are looked up among the slot's active registrations only; anything else is an error and
    nothing is saved. Returns how many registrations changed (a log row each: old → new).
    """
    problem = attendance_problem(slot, by=by, site=site)
    if problem:
        raise PermissionDenied(problem)
    cleaned = {}
    for key, value in values.items():
        try:
            key = int(key)
        except (TypeError, ValueError):
            raise ValidationError(_("Some of these registrations are not on this slot.")) from None
        try:
            cleaned[key] = Attendance(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Unknown attendance value.")) from None
    rows = (
        Registration.objects.select_for_update(of=("self",))
        .filter(slot=slot, status=Status.ACTIVE, pk__in=list(cleaned))
        .select_related("person")
    )
    found = {r.pk: r for r in rows}
    if set(found) != set(cleaned):
        raise ValidationError(_("Some of these registrations are not on this slot."))
    now, changed = timezone.now(), 0
    for pk, value in cleaned.items():
        registration = found[pk]
        if registration.attendance == value:
            continue
        data = changes({"attendance": registration.attendance}, {"attendance": value})
        registration.attendance = value
        registration.attendance_recorded_at = now if value != Attendance.NOT_ENTERED else None
        registration.attendance_recorded_by = by if value != Attendance.NOT_ENTERED else None
        registration.save(update_fields=["attendance", "attendance_recorded_at", "attendance_recorded_by"])
        registration.slot = slot
        person = registration.person
        log("registrations.attendance.recorded", slot, actor=by, obj=registration, subject=person, data=data)
        changed += 1
    return changed


@transaction.atomic
def mark_all_present(slot, *, by, site, only_not_entered=True) -> int:
    """ "All present" in one action: remote slots are marked "attended remotely"."""
    value = Attendance.REMOTE if slot.place == Slot.Place.REMOTE else Attendance.PRESENT
    rows = Registration.objects.filter(slot=slot, status=Status.ACTIVE)
    if only_not_entered:
        rows = rows.filter(attendance=Attendance.NOT_ENTERED)
    return record_attendance(slot, dict.fromkeys(rows.values_list("pk", flat=True), value), by=by, site=site)
