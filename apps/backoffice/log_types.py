"""The action types of rows the back office's site pages write for apps that log nothing of
them themselves: the attestation types a site requires."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "attestations.attestationtype.created": _("Attestation type created"),
        "attestations.attestationtype.changed": _("Attestation type changed"),
    }
)
