from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "apps.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from . import signals

        signals.connect()
