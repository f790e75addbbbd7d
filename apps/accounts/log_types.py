"""The action types of accounts: sign-ins of the staff (and of the operator)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "accounts.login.succeeded": _("Signed in"),
        "accounts.login.failed": _("Sign-in failed"),
        "accounts.login.locked_out": _("Sign-in refused: too many failures"),
    }
)
