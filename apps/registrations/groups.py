"""Group registrations: a class of a high school on a slot, registered by its referent or a manager.

Two modes, set on the slot: ``ONE_GROUP`` — one group takes the whole slot (its size at most
``group_places``); ``BY_PLACES`` — groups share ``group_places`` pupil places. Places are
counted on the slot row (``group_places_taken``) under the slot's row lock, with a
conditional update and the ``taken <= places`` constraint behind it, like individual places.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.policy import _manages_owner, actor_for, owner_of
from apps.catalogue.models import Slot
from apps.catalogue.selectors import effective_deadlines, slot_start

from .models import GroupRegistration, Status
from .services import _after_commit, lock_slot

GROUP_FIELDS = ("accompanying_adults", "contact_name", "contact_email", "contact_phone", "class_list", "comment")


class GroupRefused(Exception):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


@dataclass
class GroupDecision:
    problems: list
    is_manager: bool
    places_left: int

    @property
    def allowed(self):
        return not self.problems


def group_places_left(slot) -> int:
    if slot.group_mode == Slot.GroupMode.ONE_GROUP:
        return 0 if slot.group_places_taken else slot.group_places
    return max(slot.group_places - slot.group_places_taken, 0)


def evaluate_group(slot, high_school, *, by, site, pupils_count=None, now=None, force=False) -> GroupDecision:
    """Every reason why ``by`` may not register a group of ``high_school`` on ``slot`` now.

    Managers of the slot's owner may ``force`` past the registration window, the deadline and
    the high-school restriction; nobody forces past the places.
    """
    now = now or timezone.now()
    actor = actor_for(by, site)
    is_manager = _manages_owner(actor, owner_of(slot))
    problems, forcible = [], []
    left = group_places_left(slot)
    if not is_manager and high_school.pk not in actor.referent_high_schools:
        return GroupDecision([_("You may not register a group of this high school.")], False, left)
    if not high_school.is_active:
        problems.append(_("This high school is not active on the site."))
    if not (site.group_registrations_enabled and slot.allows_group_registrations):
        problems.append(_("This slot does not take group registrations."))
    parent = slot.course if slot.course_id else slot.event
    if slot.cancelled_at is not None:
        problems.append(_("This slot has been cancelled."))
    elif not (slot.published and parent.is_visible_on(timezone.localdate(now))):
        problems.append(_("This slot is not open to registrations."))
    if now >= slot_start(slot):
        problems.append(_("This slot has already started."))
    else:
        period = slot.period
        closes, _cancellation = effective_deadlines(slot)
        if now < period.registration_start:
            forcible.append(_("Registrations for %(period)s are not open yet.") % {"period": period.label})
        elif now > period.registration_end or now > closes:
            forcible.append(
                _("Registrations for this slot closed on %(date)s.")
                % {"date": date_format(min(closes, period.registration_end), "DATETIME_FORMAT")}
            )
    allowed_high_schools = {h.pk for h in slot.allowed_high_schools.all()}
    if allowed_high_schools and high_school.pk not in allowed_high_schools:
        forcible.append(_("This slot is reserved for other high schools."))
    if pupils_count is not None:
        if pupils_count < 1:
            problems.append(_("A group has at least one pupil."))
        elif slot.group_mode == Slot.GroupMode.ONE_GROUP:
            if slot.group_places_taken:
                problems.append(_("A group is already registered on this slot."))
            elif pupils_count > slot.group_places:
                problems.append(
                    _("This slot takes a group of at most %(places)d pupils.") % {"places": slot.group_places}
                )
        elif pupils_count > left:
            problems.append(
                _("Only %(left)d group places are left on this slot.") % {"left": left}
                if left
                else _("No group places are left on this slot.")
            )
    elif left <= 0:
        problems.append(_("No group places are left on this slot."))
    if not (force and is_manager):
        problems.extend(forcible)
    return GroupDecision(problems, is_manager, left)


def _repeat_of(slot, by, submission_key):
    """The group this very form registered already, if it is sent again (slot locked)."""
    if not submission_key:
        return None
    return GroupRegistration.objects.filter(
        slot=slot, submission_key=submission_key, registered_by=by, status=Status.ACTIVE
    ).first()


def register_group(
    slot, high_school, *, by, pupils_count, force=False, request=None, submission_key="", **details
) -> GroupRegistration:
    """Register a group, atomically; raises :class:`GroupRefused` with every reason (nothing saved).

    ``submission_key`` is the random key of the form the group comes from: the same form sent
    again (a double click, a reload) registers nothing more and returns the first one's group,
    with ``repeated`` set, so that the answer the person sees last is the true one. (Under the
    slot's lock; a unique constraint stands behind it.)
    """
    unknown = set(details) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"unknown group fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = lock_slot(slot)
        repeat = _repeat_of(locked, by, submission_key)
        if repeat is not None:
            repeat.repeated = True
            return repeat
        decision = evaluate_group(locked, high_school, by=by, site=locked.site, pupils_count=pupils_count, force=force)
        if not decision.allowed:
            raise GroupRefused(decision.problems)
        taken = locked.group_places if locked.group_mode == Slot.GroupMode.ONE_GROUP else pupils_count
        updated = Slot.objects.filter(pk=locked.pk, group_places_taken__lte=F("group_places") - taken).update(
            group_places_taken=F("group_places_taken") + taken
        )
        if not updated:
            raise GroupRefused([_("No group places are left on this slot.")])
        group = GroupRegistration(
            site=locked.site,
            slot=locked,
            high_school=high_school,
            pupils_count=pupils_count,
            registered_by=by,
            submission_key=submission_key or "",
        )
        for name, value in details.items():
            setattr(group, name, value if value is not None else "")
        group.save()
        group.repeated = False
        if group.contact_email:
            _after_commit(
                "group_registration_confirmed",
                group.contact_email,
                locked.site,
                {"group": group, "slot": locked, "name": group.contact_name},
                request,
            )
    return group


def group_cancellation_problem(group, *, by, site, now=None):
    now = now or timezone.now()
    if group.status != Status.ACTIVE:
        return _("This group registration is already cancelled.")
    actor = actor_for(by, site)
    if _manages_owner(actor, owner_of(group.slot)):
        return None
    if group.high_school_id not in actor.referent_high_schools:
        return _("You may not cancel this group registration.")
    if now >= slot_start(group.slot):
        return _("This slot has already started.")
    _closes, cancellation_closes = effective_deadlines(group.slot)
    if now > cancellation_closes:
        return _("Cancellations for this slot closed on %(date)s; contact the organisers.") % {
            "date": date_format(cancellation_closes, "DATETIME_FORMAT")
        }
    return None


def cancel_group_registration(group, *, by, request=None, check=True) -> bool:
    """Cancel a group and free its places. Raises GroupRefused when ``by`` may not (with ``check``)."""
    with transaction.atomic():
        locked = lock_slot(group.slot_id)
        group = GroupRegistration.objects.get(pk=group.pk)
        group.slot = locked
        if group.status != Status.ACTIVE:  # a repeated submission: the first one cancelled it
            return False
        if check:
            problem = group_cancellation_problem(group, by=by, site=locked.site)
            if problem:
                raise GroupRefused([problem])
        now = timezone.now()
        updated = GroupRegistration.objects.filter(pk=group.pk, status=Status.ACTIVE).update(
            status=Status.CANCELLED, cancelled_at=now
        )
        if not updated:
            return False
        freed = locked.group_places_taken if locked.group_mode == Slot.GroupMode.ONE_GROUP else group.pupils_count
        Slot.objects.filter(pk=locked.pk).update(
            group_places_taken=F("group_places_taken") - min(freed, locked.group_places_taken)
        )
        if group.contact_email:
            _after_commit(
                "group_registration_cancelled",
                group.contact_email,
                locked.site,
                {"group": group, "slot": locked, "name": group.contact_name},
                request,
            )
    return True
