from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "apps.registrations"
    label = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from . import signals  # noqa: F401  (the catalogue's hook: a course published answers its alerts)
