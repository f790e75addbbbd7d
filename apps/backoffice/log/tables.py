"""The action-log table: every value comes from the row itself (no query per row)."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from apps.audit import registry
from apps.audit.models import ActionLog

MAX_SHOWN_CHANGES = 8


def describe(data) -> str:
    """The changed fields of an entry, in words (``field: old → new``), then the other details."""
    if not isinstance(data, dict):
        return ""
    parts = []
    for name, values in list((data.get("changed") or {}).items())[:MAX_SHOWN_CHANGES]:
        old, new = values if isinstance(values, list) and len(values) == 2 else ("", values)
        parts.append((name, f"{_short(old)} → {_short(new)}"))
    for name, value in data.items():
        if name != "changed":
            parts.append((name, _short(value)))
    return format_html_join("", '<span class="d-block"><span class="text-body-secondary">{}</span> {}</span>', parts)


def _short(value, length=80):
    if isinstance(value, dict) and "label" in value:
        value = value["label"]
    elif isinstance(value, list):
        value = ", ".join(str(_short(item, 30)) for item in value)
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= length else text[: length - 1] + "…"


class ActionLogTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name=_("When"), format="SHORT_DATETIME_FORMAT")
    actor_label = tables.Column(verbose_name=_("Who"), order_by=("actor_label",))
    action = tables.Column(verbose_name=_("Action"))
    object_label = tables.Column(verbose_name=_("Object"), orderable=False)
    data = tables.Column(verbose_name=_("Details"), orderable=False)
    ip = tables.Column(verbose_name=_("IP address"), orderable=False)

    class Meta:
        model = ActionLog
        fields = ("created_at", "actor_label", "action", "object_label", "data", "ip")
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = _("Nothing to show.")
        orderable = True

    def render_actor_label(self, record, value):
        if record.acting_as_label:
            return format_html("{}<br><small>{} {}</small>", value, _("on behalf of"), record.acting_as_label)
        return value

    def render_action(self, value):
        return format_html('{}<br><small class="text-body-secondary">{}</small>', registry.label(value), value)

    def render_object_label(self, record, value):
        concerned = ""
        if record.subject_label and record.subject_label != value:
            concerned = format_html("<br><small>{} {}</small>", _("concerns"), record.subject_label)
        kind = f"{record.object_type} #{record.object_id}" if record.object_id else record.object_type
        return format_html('{}<br><small class="text-body-secondary">{}</small>{}', value or "—", kind, concerned)

    def render_data(self, value):
        return describe(value)
