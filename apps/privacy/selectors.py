"""Read side of personal data: the "My data" page and the export of everything about a person."""

import os
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import AccountToken, RoleAssignment
from apps.audit import registry
from apps.audit.models import ActionLog
from apps.audit.selectors import count_about, entries_about
from apps.records.models import PupilRecord, StudentRecord, VisitorRecord
from apps.tenancy.models import Site, SiteOwnedModel
from apps.tenancy.scoping import platform_job

from .userdata import is_owning_link, user_links, user_m2m_links

EXPORT_FORMAT = "immersup-personal-data/1"
#: The latest entries of the action log shown on the page (the export holds them all).
HISTORY_SHOWN = 50


@dataclass
class MyData:
    user: object
    roles: list
    records: list  # (kind label, record)
    pupil_record: PupilRecord | None
    language: str
    history: list  # the latest entries of the action log by or about the person, see history_row()
    history_total: int


def history_row(entry, user):
    """One entry of the log by or about ``user``, as "my data" shows and exports it.

    ``by`` is the name of whoever acted when it was somebody else (empty: the person, or the
    platform itself for ``by_platform``). The details are given only for the entries about
    the person: what they did to others is theirs to see, the others' data are not.
    """
    by_me = entry["actor_id"] == user.pk
    row = {
        "time": entry["created_at"],
        "action": entry["action"],
        "action_name": registry.label(entry["action"]),
        "object": entry["object_label"],
        "by_me": by_me,
        "by_platform": not by_me and not entry["actor_label"],
        "by": "" if by_me else entry["actor_label"],
    }
    if entry["subject_id"] == user.pk:
        row["details"] = entry["data"]
    return row


def my_data(site, user):
    """What the "My data" page shows of the signed-in person on this site. Five queries."""
    roles = list(
        RoleAssignment.objects.filter(site=site, user=user).select_related("establishment", "structure", "high_school")
    )
    records = []
    pupil_record = None
    for model in (PupilRecord, StudentRecord, VisitorRecord):
        record = model.objects.filter(site=site, user=user).first()
        if record is not None:
            records.append((model._meta.verbose_name, record))
            if model is PupilRecord:
                pupil_record = record
    languages = dict(settings.LANGUAGES)
    language = str(languages.get(user.preferred_language, user.preferred_language))
    entries = entries_about(site, user, limit=HISTORY_SHOWN)
    return MyData(
        user=user,
        roles=roles,
        records=records,
        pupil_record=pupil_record,
        language=language,
        history=[history_row(entry, user) for entry in entries],
        history_total=count_about(site, user) if len(entries) == HISTORY_SHOWN else len(entries),
    )


# --- Export ----------------------------------------------------------------------------


def _value(obj, field, user_model):
    """A JSON-friendly value of one field (the JSON encoder handles dates and decimals)."""
    if field.is_relation:
        related_id = getattr(obj, field.attname)
        if related_id is None or field.related_model is user_model:
            return related_id  # other people appear by their id only
        return {"id": related_id, "label": str(getattr(obj, field.name))}
    if isinstance(field, models.FileField):
        value = getattr(obj, field.attname)
        return os.path.basename(value.name) if value else ""
    return field.value_from_object(obj)


def serialise(obj, *, exclude=()):
    """Every stored field of a row; file fields as their file names, never paths."""
    user_model = get_user_model()
    row = {"id": obj.pk}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name == "site" or field.name in exclude:
            continue
        row[field.name] = _value(obj, field, user_model)
        if getattr(field, "choices", None) and not field.is_relation:
            row[f"{field.name}_display"] = getattr(obj, f"get_{field.name}_display")()
    for field in obj._meta.many_to_many:
        if field.name in exclude:
            continue
        related = getattr(obj, field.name).all()
        if field.related_model is user_model:
            row[field.name] = [person.pk for person in related]
        else:
            row[field.name] = [str(item) for item in related]
    return row


def _token(token):
    """What a token says about the person: never its digest nor its payload."""
    return {
        "purpose": token.purpose,
        "purpose_display": token.get_purpose_display(),
        "site": token.site.name if token.site_id else None,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "used_at": token.used_at,
    }


def export_data(user):
    """Everything the platform holds about ``user``, on every site, as plain data.

    Rows that are the person's own (a cascading foreign key: registrations, records, roles,
    documents...) are exported in full; rows that only mention them (they validated a
    record, registered a class, are a speaker) as a reference, so that nobody else's data
    leaks into the export. Each site's ``action_log`` lists what the person did there and what
    was done about them (see :func:`history_row`).
    """
    user_model = get_user_model()
    own = defaultdict(lambda: defaultdict(list))  # site id (None: platform) -> model label -> rows
    mentions = defaultdict(list)  # site id -> references
    with platform_job():
        for model, link in user_links():
            if model in (AccountToken, ActionLog) or not model.__module__.startswith("apps."):
                continue  # tokens and the action log below; Django's admin log describes other people's rows
            site_owned = issubclass(model, SiteOwnedModel)
            label = model._meta.label_lower
            rows = model._default_manager.filter(**{link.name: user}).order_by("pk")
            for obj in rows:
                site_id = obj.site_id if site_owned else None
                if is_owning_link(link):
                    own[site_id][label].append(serialise(obj))
                else:
                    mentions[site_id].append({"model": label, "id": obj.pk, "as": link.name})
        for model, link in user_m2m_links(site_owned=None):
            for obj in model._default_manager.filter(**{link.name: user}).order_by("pk"):
                site_id = obj.site_id if isinstance(obj, SiteOwnedModel) else None
                mentions[site_id].append(
                    {"model": model._meta.label_lower, "id": obj.pk, "as": link.name, "label": str(obj)}
                )
        tokens = [_token(t) for t in AccountToken.objects.filter(user=user).select_related("site").order_by("pk")]
        logged = ActionLog.objects.filter(Q(actor=user) | Q(subject=user)).values_list("site_id", flat=True)
        site_ids = (set(own) | set(mentions) | set(logged.order_by().distinct())) - {None}
        sites = {site.pk: site for site in Site.objects.filter(pk__in=site_ids)}
        history = {pk: [history_row(entry, user) for entry in entries_about(sites[pk], user)] for pk in site_ids}
    by_site = {}
    for site_id in sorted(site_ids, key=lambda pk: (sites[pk].name, pk)):
        site = sites[site_id]
        name = site.name if site.name not in by_site else f"{site.name} ({site.slug})"
        by_site[name] = {
            "data": dict(own.get(site_id, {})),
            "mentions": mentions.get(site_id, []),
            "action_log": history[site_id],
        }
    account = serialise(user_model.objects.get(pk=user.pk), exclude={"password", "groups", "user_permissions"})
    return {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now(),
        "account": account,
        "account_tokens": tokens,
        "platform": {"data": dict(own.get(None, {})), "mentions": mentions.get(None, [])},
        "sites": by_site,
    }
