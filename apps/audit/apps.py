from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = _("Action log")

    def ready(self):
        # Each app declares the action types it logs in its own ``log_types.py``.
        autodiscover_modules("log_types")
