from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuplicatesConfig(AppConfig):
    name = "apps.duplicates"
    label = "duplicates"
    verbose_name = _("Duplicate accounts")

    def ready(self):
        from . import signals

        signals.connect()
