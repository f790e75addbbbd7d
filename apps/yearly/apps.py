from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearlyConfig(AppConfig):
    name = "apps.yearly"
    label = "yearly"
    verbose_name = _("Yearly cycle")
