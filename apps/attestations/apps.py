from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttestationsConfig(AppConfig):
    name = "apps.attestations"
    label = "attestations"
    verbose_name = _("Attestation documents")
