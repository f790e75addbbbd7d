"""The action types of personal data: consents and the deletion of one's own account."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "privacy.consents.changed": _("Consents changed"),
        "privacy.account.deleted": _("Account deleted by its owner"),
    }
)
