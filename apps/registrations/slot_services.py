"""The slot lifecycle: every write of a slot, one function per use case, each in one transaction.

It lives with the registration engine because it drives it: a slot published (or its course)
answers the course alerts, more places go to the waiting list first, a cancelled slot cancels
its registrations and closes its waiting list, and its registrants are told of a change.

Rules enforced here (whatever the face calling): places never below the places taken; a
registration mode cannot be switched off while it has active registrations; a slot with
registrations is cancelled (its registrants told), never deleted; cancelling tells every
registrant. The caller checks the policy (``apps.accounts.policy.can``) before calling.

Each write leaves its row in the action log (``catalogue.slot.*``), in its transaction, naming
the person acting (``by``: None for a job): an edit its fields old → new, a cancellation its
reason and how many registrations and groups it cancelled; a bulk edit and a repetition one
row per slot (a repeated slot's row names the slot it repeats).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.audit.services import changes, json_value, log_action, snapshot
from apps.catalogue.models import Slot
from apps.catalogue.selectors import PLACE_FIELDS, WHEN_FIELDS, Calendar, slot_start, slot_warnings
from apps.notifications.services import send_message

from .log import by_kind
from .log import log as log_engine
from .models import GroupRegistration, Registration, Status
from .services import cancel_registration, close_waiting_list, fill_from_waiting_list, notify_course_alerts

M2M_FIELDS = ("speakers", *Slot.RESTRICTION_FIELDS)
#: Fields set only by services, never copied from a form.
PROTECTED_FIELDS = {"id", "site", "individual_places_taken", "group_places_taken", "cancelled_at"}
PROTECTED_FIELDS |= {"cancellation_reason", "created_at", "updated_at"}
#: The fields whose changes the action log records (old → new).
LOGGED_FIELDS = tuple(f.name for f in Slot._meta.concrete_fields if f.name not in PROTECTED_FIELDS)
#: What the log says of a new slot.
CREATED_FIELDS = ("date", "start_time", "end_time", "individual_places", "group_places", "published")


def _set_m2m(slot, m2m) -> dict:
    """Set the speakers / restrictions given (as ``set()`` would, with the same queries).

    Returns ``{field: [old, new]}`` of the lists that changed, for the log.
    """
    changed = {}
    for name, values in (m2m or {}).items():
        if name not in M2M_FIELDS:
            raise ValueError(f"{name} is not a many-to-many field of a slot")
        manager = getattr(slot, name)
        old = {obj.pk: obj for obj in manager.all()}
        new = {getattr(value, "pk", value): value for value in values}
        if set(old) - set(new):
            manager.remove(*(set(old) - set(new)))
        if set(new) - set(old):
            manager.add(*(set(new) - set(old)))
        if set(old) != set(new):
            changed[name] = [json_value(sorted(old.values(), key=str)), json_value(sorted(new.values(), key=str))]
    return changed


def _log(action, slot, by, data=None):
    log_action(f"catalogue.slot.{action}", site=slot.site, actor=by, obj=slot, data=data)


def _log_created(slot, by, **facts):
    _log("created", slot, by, {**snapshot(slot, CREATED_FIELDS), **facts})


@transaction.atomic
def create_slot(slot, *, m2m=None, by=None) -> list[str]:
    """Save a new slot (validated by the model's rules) and its speakers / restrictions. Returns warnings."""
    slot.full_clean()
    slot.save()
    _set_m2m(slot, m2m)
    _log_created(slot, by)
    if slot.published and slot.course_id:
        notify_course_alerts(slot)
    return slot_warnings(slot)


def _check_changes(locked, new_values):
    """The update rules, against the locked row's counters and active registrations."""
    errors = {}
    if locked.cancelled_at is not None:
        raise ValidationError(_("This slot is cancelled: it cannot be changed any more."))
    individual = new_values.get("individual_places", locked.individual_places)
    if individual < locked.individual_places_taken:
        errors["individual_places"] = _(
            "%(taken)s individual places are taken: the places cannot go below %(taken)s."
        ) % {"taken": locked.individual_places_taken}
    group = new_values.get("group_places", locked.group_places)
    if group < locked.group_places_taken:
        errors["group_places"] = _("%(taken)s group places are taken: the places cannot go below %(taken)s.") % {
            "taken": locked.group_places_taken
        }
    active = Status.ACTIVE
    off = locked.allows_individual_registrations and new_values.get("allows_individual_registrations") is False
    if off and Registration.objects.filter(slot=locked, status=active).exists():
        errors["allows_individual_registrations"] = _(
            "Individual registrations cannot be switched off while people are registered: cancel them first."
        )
    groups_active = None
    if locked.allows_group_registrations and new_values.get("allows_group_registrations") is False:
        groups_active = GroupRegistration.objects.filter(slot=locked, status=active).exists()
        if groups_active:
            errors["allows_group_registrations"] = _(
                "Group registrations cannot be switched off while groups are registered: cancel them first."
            )
    if new_values.get("group_mode", locked.group_mode) != locked.group_mode:
        if groups_active is None:
            groups_active = GroupRegistration.objects.filter(slot=locked, status=active).exists()
        if groups_active:
            errors["group_mode"] = _("The group mode cannot change while groups are registered.")
    if errors:
        raise ValidationError(errors)


def _active_recipients(slot):
    people = [r.person for r in Registration.objects.filter(slot=slot, status=Status.ACTIVE).select_related("person")]
    groups = list(GroupRegistration.objects.filter(slot=slot, status=Status.ACTIVE))
    return people, groups


def _notify(key, slot, people, groups, context):
    """Send ``key`` to every person and group contact after the transaction commits."""
    site = slot.site

    def send():
        for person in people:
            send_message(key, to=person, site=site, context={**context, "name": person.first_name})
        for group in groups:
            send_message(key, to=group.contact_email, site=site, context={**context, "name": group.contact_name})

    transaction.on_commit(send)
    return len(people) + len(groups)


def _apply(locked, new_values, m2m, by):
    """Check and save the changes, then log them (nothing when nothing changed)."""
    _check_changes(locked, new_values)
    before = snapshot(locked, LOGGED_FIELDS)
    for name, value in new_values.items():
        if name in PROTECTED_FIELDS:
            raise ValueError(f"{name} cannot be changed this way")
        setattr(locked, name, value)
    locked.full_clean()
    update_fields = [f.attname for f in Slot._meta.concrete_fields if f.name not in PROTECTED_FIELDS]
    locked.save(update_fields=[*update_fields, "updated_at"])
    data = changes(before, locked, LOGGED_FIELDS)
    lists = _set_m2m(locked, m2m)
    if lists:
        data = {"changed": {**data.get("changed", {}), **lists}}
    if set(data.get("changed", {})) == {"published"}:
        _log("published" if locked.published else "unpublished", locked, by)
    elif data:
        _log("changed", locked, by, data)


def _after_change(locked, places_before, published_before):
    """More places go to the waiting list first; a newly published slot answers the course alerts."""
    if locked.individual_places > places_before:
        fill_from_waiting_list(locked, locked=True)
    if locked.published and not published_before and locked.course_id:
        notify_course_alerts(locked)


@transaction.atomic
def update_slot(slot, new_values, *, m2m=None, notify=False, by=None) -> list[str]:
    """Change a slot's fields (``new_values``: {field: value}) and many-to-many lists, under a row lock.

    With ``notify``, registrants and group contacts are told of a change of date, times or place
    (message ``slot_changed``). Returns the warnings. Raises ValidationError (nothing changed).
    """
    locked = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("site", "period", "course__training__structure", "event")
        .get(pk=slot.pk)
    )
    before = {name: getattr(locked, name) for name in (*WHEN_FIELDS, *PLACE_FIELDS)}
    places_before, published_before = locked.individual_places, locked.published
    _apply(locked, new_values, m2m, by)
    _after_change(locked, places_before, published_before)
    changed = [name for name, value in before.items() if getattr(locked, name) != value]
    if notify and changed:
        people, groups = _active_recipients(locked)
        labels = [str(Slot._meta.get_field(name).verbose_name) for name in changed]
        _notify("slot_changed", locked, people, groups, {"slot": locked, "changes": labels})
    for name in [f.name for f in Slot._meta.concrete_fields]:
        setattr(slot, name, getattr(locked, name))
    return slot_warnings(locked)


def _copy(slot, day, start_time=None, end_time=None):
    """An unsaved copy of ``slot`` on another day, without registrations, explicit deadlines shifted."""
    copy = Slot(
        **{
            f.attname: getattr(slot, f.attname)
            for f in Slot._meta.concrete_fields
            if f.name not in PROTECTED_FIELDS or f.name == "site"
        }
    )
    copy.date = day
    copy.start_time = start_time or slot.start_time
    copy.end_time = end_time or slot.end_time
    shift = slot_start(copy) - slot_start(slot)
    for name in ("registration_deadline", "cancellation_deadline"):
        value = getattr(slot, name)
        setattr(copy, name, value + shift if value is not None else None)
    return copy


def _m2m_of(slot):
    return {name: list(getattr(slot, name).all()) for name in M2M_FIELDS}


@transaction.atomic
def duplicate_slot(slot, *, date, start_time=None, end_time=None, by=None) -> tuple[Slot, list[str]]:
    """A new slot like ``slot`` (places, place, speakers, restrictions...) at another date / time."""
    copy = _copy(slot, date, start_time, end_time)
    copy.full_clean()
    copy.save()
    _set_m2m(copy, _m2m_of(slot))
    _log_created(copy, by, duplicate_of=slot)
    return copy, slot_warnings(copy)


@transaction.atomic
def repeat_slot(slot, dates, *, by=None) -> tuple[list[Slot], list[dt.date], dict]:
    """One new slot per date, same times. Dates where this course / event already has a slot
    at the same start time (or repeated in the list) are skipped. Each new slot gets its own
    row in the log (``catalogue.slot.created``, naming the slot it repeats).

    Returns (created slots, skipped dates, {date: warnings}).
    """
    dates = sorted(set(dates))
    owner = {"course_id": slot.course_id} if slot.course_id else {"event_id": slot.event_id}
    taken = set(
        Slot.objects.filter(site_id=slot.site_id, start_time=slot.start_time, date__in=dates, **owner)
        .filter(cancelled_at__isnull=True)
        .values_list("date", flat=True)
    )
    m2m = _m2m_of(slot)
    site = slot.site
    calendar = Calendar.load(slot.site_id, dates)
    created, skipped, warnings = [], [], {}
    for day in dates:
        if day in taken:
            skipped.append(day)
            continue
        copy = _copy(slot, day)
        copy.site = site
        copy.full_clean()
        copy.save()
        _set_m2m(copy, m2m)
        _log_created(copy, by, repeat_of=slot)
        created.append(copy)
        found = slot_warnings(copy, calendar)
        if found:
            warnings[day] = found
    return created, skipped, warnings


@transaction.atomic
def bulk_update(slots, new_values, *, m2m=None, by=None) -> dict:
    """Apply the same changes to several slots, all or nothing (one log row per slot changed).

    The caller has checked each slot against the policy. Raises one ValidationError listing
    every refused slot; returns {slot pk: warnings}.
    """
    errors, warnings = [], {}
    for slot in slots:
        locked = (
            Slot.objects.select_for_update(of=("self",))
            .select_related("site", "period", "course__training__structure", "event")
            .get(pk=slot.pk)
        )
        places_before, published_before = locked.individual_places, locked.published
        try:
            with transaction.atomic():
                _apply(locked, new_values, m2m, by)
                _after_change(locked, places_before, published_before)
        except ValidationError as error:
            messages = [m for ms in error.message_dict.values() for m in ms] if hasattr(error, "error_dict") else []
            messages = messages or error.messages
            errors.append(ValidationError(_("%(slot)s: %(errors)s") % {"slot": locked, "errors": " ".join(messages)}))
            continue
        warnings[slot.pk] = slot_warnings(locked)
    if errors:
        raise ValidationError(errors)
    return warnings


@transaction.atomic
def cancel_slot(slot, reason, *, by=None) -> int:
    """Cancel a slot: unpublish it, cancel every active registration and group registration, and tell
    each registrant and group contact (message ``slot_cancelled``, with the reason). Returns how many
    were told. The log row gives the reason and how many registrations and groups were cancelled.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the cancellation: the registrants will read it.")})
    locked = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("site", "course__training__structure", "event")
        .get(pk=slot.pk)
    )
    if locked.cancelled_at is not None:
        raise ValidationError(_("This slot is already cancelled."))
    people, groups = _active_recipients(locked)
    registrations = list(Registration.objects.filter(slot=locked, status=Status.ACTIVE))
    for registration in registrations:
        # The slot's own message (with its reason) replaces the generic one.
        cancel_registration(registration, by=by, notify=False, promote=False, _slot=locked)
    close_waiting_list(locked, by=by)
    now = timezone.now()
    active_groups = list(GroupRegistration.objects.filter(slot=locked, status=Status.ACTIVE))
    cancelled_groups = GroupRegistration.objects.filter(pk__in=[group.pk for group in active_groups]).update(
        status=Status.CANCELLED, cancelled_at=now
    )
    for group in active_groups:
        data = {"by": by_kind(by, locked), "pupils_count": group.pupils_count, "slot_cancelled": True}
        log_engine("registrations.group.cancelled", locked, actor=by, obj=group, data=data)
    facts = {
        "reason": reason[:255],
        "registrations_cancelled": len(registrations),
        "groups_cancelled": cancelled_groups,
    }
    _log("cancelled", locked, by, facts)
    Slot.objects.filter(pk=locked.pk).update(
        cancelled_at=now, cancellation_reason=reason[:255], published=False, group_places_taken=0, updated_at=now
    )
    locked.refresh_from_db()
    for name in ("cancelled_at", "cancellation_reason", "published", "individual_places_taken", "group_places_taken"):
        setattr(slot, name, getattr(locked, name))
    return _notify("slot_cancelled", locked, people, groups, {"slot": locked, "reason": reason})


def has_registrations(slot) -> bool:
    """Has anyone ever registered (even if cancelled since)?"""
    return Registration.objects.filter(slot=slot).exists() or GroupRegistration.objects.filter(slot=slot).exists()


@transaction.atomic
def delete_slot(slot, *, by=None):
    """Delete a slot nobody ever registered to; otherwise it must be cancelled instead."""
    locked = Slot.objects.select_for_update(of=("self",)).select_related("site").filter(pk=slot.pk).first()
    if has_registrations(slot):
        raise ValidationError(
            _(
                "People registered to this slot on %(date)s: it cannot be deleted. Cancel it instead, "
                "so that they are told."
            )
            % {"date": date_format(slot.date, "SHORT_DATE_FORMAT")}
        )
    if locked is not None:
        slot.site = locked.site
    _log("deleted", slot, by, snapshot(slot, CREATED_FIELDS))
    slot.delete()
