"""The action types of the log's own maintenance."""

from django.utils.translation import gettext_lazy as _

from .registry import declare

declare(
    {
        "audit.person.pseudonymised": _("Person pseudonymised in the log"),
    }
)
