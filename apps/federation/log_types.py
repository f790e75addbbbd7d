"""The action types of the sign-in methods, as the site's master referent sets them in the back
office (the admin's writes are logged as ``admin.object.*``)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "federation.federationsettings.created": _("Sign-in methods set"),
        "federation.federationsettings.changed": _("Sign-in methods changed"),
    }
)
