"""The action types of the Django admin's writes (the operator's and master referents' tool)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "admin.object.created": _("Added in the admin"),
        "admin.object.changed": _("Changed in the admin"),
        "admin.object.deleted": _("Deleted in the admin"),
    }
)
