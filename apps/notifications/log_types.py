"""The action types of the messages: a site's own texts edited or reset (not the sending)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "notifications.messagetemplate.changed": _("Message text changed"),
        "notifications.messagetemplate.reset": _("Message text reset to the default"),
    }
)
