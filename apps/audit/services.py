"""Writing the action log: :func:`log_action`, called by every service in its own transaction.

::

    log_action("catalogue.slot.changed", site=site, actor=actor, obj=slot,
               data=changes(before, slot, ["places", "starts_at"]))

The row is written with the change it records: if the service's transaction rolls back, the
row goes too. Values are made JSON-safe (dates as ISO strings, objects as their id and label).
Fields named in ``hidden`` are logged as changed without their values (disability, remarks).
The IP address is kept when a person acts on others' data or on the site (staff), not when a
registrant acts on their own data.
"""

import datetime
import decimal
import hashlib
import uuid

from django.conf import settings
from django.core.files import File
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Replace

from apps.accounts.policy import owner_of

from . import context, registry
from .models import ActionLog

LABEL_LENGTH = ActionLog._meta.get_field("object_label").max_length
NAME_LENGTH = ActionLog._meta.get_field("actor_label").max_length
HIDDEN = "…"


def person_label(user) -> str:
    if user is None:
        return ""
    name = f"{user.first_name} {user.last_name}".strip()
    return (name or user.email)[:NAME_LENGTH]


def json_value(value):
    """A value as the log stores it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return {"id": value.pk, "label": str(value)[:LABEL_LENGTH]}
    if isinstance(value, (list, tuple, set, frozenset)):
        values = [json_value(item) for item in value]
        return sorted(values, key=str) if isinstance(value, (set, frozenset)) else values
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, File):  # a stored file (private ones have no URL): its name only
        return value.name or ""
    return str(value)


def snapshot(obj, fields) -> dict:
    """The values of ``fields`` of ``obj`` (foreign keys by their id), to compare after a change."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field.is_relation:
            values[name] = getattr(obj, field.attname)
        else:
            values[name] = getattr(obj, name)
    return values


def changes(before: dict, after, fields=None, *, hidden=()) -> dict:
    """``{"changed": {field: [old, new]}}`` for the fields whose value differs.

    ``after`` is a dict or the changed object (its fields read as :func:`snapshot` does).
    """
    if not isinstance(after, dict):
        after = snapshot(after, fields or list(before))
    changed = {}
    for name in fields or before:
        old, new = before.get(name), after.get(name)
        if old != new:
            changed[name] = [HIDDEN, HIDDEN] if name in hidden else [json_value(old), json_value(new)]
    return {"changed": changed} if changed else {}


def _owner(obj):
    """(establishment id, high school id) owning ``obj`` at the time, when the object says so: its
    ``owner`` (the offer's models, establishments, high schools), else the policy's answer (a
    registration's is its slot's), else its own ``establishment_id`` / ``high_school_id``."""
    if obj is None:
        return None, None
    try:
        owner = getattr(obj, "owner", None) or owner_of(obj)
    except (TypeError, AttributeError, models.ObjectDoesNotExist):
        establishment = getattr(obj, "establishment_id", None)
        return establishment, getattr(obj, "high_school_id", None)
    return owner.establishment_id, owner.high_school_id


def log_action(
    action: str,
    *,
    site,
    actor=None,
    obj=None,
    data=None,
    subject=None,
    label: str | None = None,
    object_type: str | None = None,
    object_id=None,
    establishment_id=None,
    high_school_id=None,
) -> ActionLog:
    """Record ``action`` done by ``actor`` on ``obj`` (in the caller's transaction)."""
    if not registry.is_declared(action):
        raise ValueError(f"Undeclared action type {action!r}: declare it in the app's log_types.py")
    if site is None:
        raise ValueError("log_action() needs the site")
    if establishment_id is None and high_school_id is None:
        establishment_id, high_school_id = _owner(obj)
    origin = context.current()
    actor = actor if getattr(actor, "pk", None) is not None else None
    subject = subject if getattr(subject, "pk", None) is not None else None
    acting_as = origin.acting_as if getattr(origin.acting_as, "pk", None) is not None else None
    own_data = actor is not None and subject is not None and actor.pk == subject.pk and acting_as is None
    entry = ActionLog(
        site=site,
        actor=actor,
        actor_label=person_label(actor),
        acting_as=acting_as,
        acting_as_label=person_label(acting_as),
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(object_id if object_id is not None else (obj.pk if obj is not None else ""))[:64],
        object_label=(label if label is not None else (str(obj) if obj is not None else ""))[:LABEL_LENGTH],
        subject=subject,
        subject_label=person_label(subject),
        establishment_id=establishment_id,
        high_school_id=high_school_id,
        data=json_value(data or {}),
        ip=None if own_data or actor is None else origin.ip,
    )
    entry.save(force_insert=True)
    return entry


def pseudonym(user_id) -> str:
    """A stable pseudonym of a person, meaningless without the server's secret key."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:person:{user_id}".encode()).hexdigest()[:10]
    return f"#{digest}"


def pseudonymise_person(user, *, site=None) -> int:
    """Replace a registrant's name in the log by a pseudonym (their account is being erased).

    Entries they made or that concern them stay (what was done, when, by which staff member);
    their name, the IP address of their own actions and the details of their own data go.
    Returns the number of entries changed.
    """
    alias = pseudonym(user.pk)
    rows = ActionLog.objects.with_scopes_disabled().all()
    if site is not None:
        rows = rows.filter(site=site)
    names = {value for value in (person_label(user), user.email, user.get_full_name()) if value}
    with transaction.atomic():
        concerned = rows.filter(Q(subject=user) | Q(actor=user) | Q(acting_as=user))
        label = F("object_label")
        for name in sorted(names, key=len, reverse=True):
            label = Replace(label, Value(name), Value(alias))
        count = concerned.update(object_label=label, pseudonymised=True)
        rows.filter(subject=user).update(subject_label=alias, subject=None, data={})
        rows.filter(actor=user).update(actor_label=alias, actor=None, ip=None)
        rows.filter(acting_as=user).update(acting_as_label=alias, acting_as=None)
        rows.filter(object_type=user._meta.label_lower, object_id=str(user.pk)).update(object_label=alias)
    return count
