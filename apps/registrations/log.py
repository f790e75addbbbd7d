"""The engine's rows in the action log (apps.audit), written by the services in their transaction.

Every row names the slot's owner (establishment or host high school), read from the slot the
service locked (its course, training and structure come with the lock: no query), so that an
establishment's referents read the rows of their offer. ``actor`` is the person acting, None
when the engine acts on its own (the waiting-list job, a place passed on); ``subject`` is the
registrant concerned.
"""

from __future__ import annotations

from django.db import transaction

from apps.accounts.policy import _manages_owner, actor_for, owner_of
from apps.audit.services import log_action

from .rules import Authority

#: How a registration was made, as the log says it.
BY_AUTHORITY = {
    Authority.SELF: "self",
    Authority.HIGH_SCHOOL: "high_school_referent",
    Authority.MANAGER: "manager",
    Authority.ESTABLISHMENT: "manager",
}


def log(action, offer, *, actor, obj, subject=None, data=None, label=None):
    """One row for ``obj`` (a registration, an entry, a group, an alert) of ``offer`` (a slot or a course)."""
    owner = owner_of(offer)
    return log_action(
        action,
        site=offer.site,
        actor=actor,
        obj=obj,
        subject=subject,
        data=data,
        label=label,
        establishment_id=owner.establishment_id,
        high_school_id=owner.high_school_id,
    )


def by_kind(by, slot, person=None) -> str:
    """Who acted, for a cancellation: ``system`` (nobody), ``self``, ``manager`` (of the slot's
    owner) or ``high_school_referent``. The person's roles are usually read already (the rules
    asked the policy): no query then."""
    if by is None:
        return "system"
    if person is not None and by.pk == person.pk:
        return "self"
    actor = actor_for(by, slot.site)
    if _manages_owner(actor, owner_of(slot)):
        return "manager"
    return "high_school_referent" if actor.referent_high_schools else "other"


def record_download(kind, obj, *, actor, subject=None):
    """Somebody read a registrant's document (``kind``: ``certificate`` or ``class_list``; ``obj``: the
    registration or group it belongs to). A registrant reading their own certificate is not logged."""
    if subject is not None and actor is not None and subject.pk == actor.pk:
        return None
    with transaction.atomic():
        return log(f"registrations.{kind}.downloaded", obj.slot, actor=actor, obj=obj, subject=subject)
