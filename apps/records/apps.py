from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "apps.records"
    label = "records"
    verbose_name = _("Records")

    def ready(self):
        from . import signals  # noqa: F401  (accounts' hooks: the record of a local sign-up)
