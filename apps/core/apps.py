from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Core")


class ImmerSupAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the policy-checking admin site as ``admin.site``.

    Listed in INSTALLED_APPS instead of "django.contrib.admin". ``default = False``
    keeps CoreConfig the configuration Django picks for "apps.core".
    """

    default = False
    default_site = "apps.core.admin.ImmerSupAdminSite"
