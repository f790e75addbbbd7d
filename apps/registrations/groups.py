"""Group registrations: a class of a high school on a slot, registered by its referent or a manager.

Two modes, set on the slot: ``ONE_GROUP`` — one group takes the whole slot (its size at most
``group_places``); ``BY_PLACES`` — groups share ``group_places`` pupil places. Places are
counted on the slot row (``group_places_taken``) under the slot's row lock, with a
conditional update and the ``taken <= places`` constraint behind it, like individual places.

The rules are the rule book's (:func:`.rules.evaluate_group`, :func:`.rules.group_cancellation_problem`);
this module locks, counts and writes. A refusal raises :class:`.services.RegistrationRefused`
(registering) or :class:`.services.CancellationRefused` (cancelling), as for individuals.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.catalogue.models import Slot

from .log import BY_AUTHORITY, by_kind, log
from .models import GroupRegistration, Status
from .rules import Code, GroupDecision, Refusal, evaluate_group, group_cancellation_problem
from .services import CancellationRefused, RegistrationRefused, _after_commit, lock_slot

GROUP_FIELDS = ("accompanying_adults", "contact_name", "contact_email", "contact_phone", "class_list", "comment")


def _repeat_of(slot, by, submission_key):
    """The group this very form registered already, if it is sent again (slot locked)."""
    if not submission_key:
        return None
    return GroupRegistration.objects.filter(
        slot=slot, submission_key=submission_key, registered_by=by, status=Status.ACTIVE
    ).first()


def register_group(slot, high_school, *, by, pupils_count, force=(), submission_key="", **details) -> GroupRegistration:
    """Register a group, atomically; raises :class:`RegistrationRefused` with the rule book's
    :class:`~.rules.GroupDecision` (nothing saved). ``force``: rule codes to force past, within
    ``by``'s authority.

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
            raise RegistrationRefused(decision)
        taken = locked.group_places if locked.group_mode == Slot.GroupMode.ONE_GROUP else pupils_count
        updated = Slot.objects.filter(pk=locked.pk, group_places_taken__lte=F("group_places") - taken).update(
            group_places_taken=F("group_places_taken") + taken
        )
        if not updated:  # cannot happen under the lock; the conditional update is the second guard
            full = Refusal(Code.FULL, _("No group places are left on this slot."))
            raise RegistrationRefused(GroupDecision(authority=decision.authority, refusals=[full]))
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
        data = {"by": BY_AUTHORITY[decision.authority], "pupils_count": pupils_count}
        if decision.forced:
            data["forced"] = list(decision.forced)
        log("registrations.group.created", locked, actor=by, obj=group, data=data)
        if group.contact_email:
            _after_commit(
                "group_registration_confirmed",
                group.contact_email,
                locked.site,
                {"group": group, "slot": locked, "name": group.contact_name},
            )
    return group


def cancel_group_registration(group, *, by, check=True) -> bool:
    """Cancel a group and free its places. Raises :class:`CancellationRefused` when ``by`` may not
    (with ``check``; the rule book's :func:`~.rules.group_cancellation_problem`)."""
    with transaction.atomic():
        locked = lock_slot(group.slot_id)
        group = GroupRegistration.objects.select_related("high_school").get(pk=group.pk)
        group.slot = locked
        if group.status != Status.ACTIVE:  # a repeated submission: the first one cancelled it
            return False
        if check:
            problem = group_cancellation_problem(group, by=by, site=locked.site)
            if problem:
                raise CancellationRefused(problem)
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
        group.status, group.cancelled_at = Status.CANCELLED, now
        data = {"by": by_kind(by, locked), "pupils_count": group.pupils_count}
        log("registrations.group.cancelled", locked, actor=by, obj=group, data=data)
        if group.contact_email:
            _after_commit(
                "group_registration_cancelled",
                group.contact_email,
                locked.site,
                {"group": group, "slot": locked, "name": group.contact_name},
            )
    return True
