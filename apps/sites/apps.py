from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    """The life of a site as a whole: creating it with what makes it usable (its master
    establishment, its reference lists). Above tenancy, which only knows sites and hosts, and
    above the apps whose rows a new site gets."""

    name = "apps.sites"
    label = "sites"
    verbose_name = _("Site lifecycle")
