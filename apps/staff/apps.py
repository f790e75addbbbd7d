from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "apps.staff"
    label = "staff"
    verbose_name = _("Staff and charter")

    def ready(self):
        from . import signals  # noqa: F401  (accounts' hooks: a new invitation for the invited who ask for a link)
