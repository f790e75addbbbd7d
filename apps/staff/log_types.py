"""The action types of the staff pages: roles, invitations, the charter."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "staff.role.granted": _("Role granted"),
        "staff.role.revoked": _("Role withdrawn"),
        "staff.invitation.sent": _("Invitation sent"),
        "staff.invitation.renewed": _("Invitation sent again"),
        "staff.invitation.accepted": _("Invitation accepted"),
        "staff.charter.signed": _("Charter signed"),
        "staff.charter.created": _("Charter version created"),
        "staff.charter.changed": _("Charter version changed"),
        "staff.charter.published": _("Charter version published"),
    }
)
