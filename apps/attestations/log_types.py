"""The action types of attestation documents."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "attestations.attestation.uploaded": _("Document sent"),
        "attestations.attestation.replaced": _("Document replaced by a new one"),
        "attestations.attestation.downloaded": _("Document downloaded by staff"),
    }
)
