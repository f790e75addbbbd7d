"""The action types of records: the registrant's own saves and the validators' decisions."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "records.record.created": _("Record opened"),
        "records.record.changed": _("Record changed"),
        "records.record.submitted": _("Record sent for validation"),
        "records.record.validated": _("Record validated"),
        "records.record.rejected": _("Record rejected"),
        "records.rejection.cancelled": _("Record rejection cancelled"),
    }
)
