from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AdminFaceConfig(AppConfig):
    """The Django admin as ImmerSup serves it (the operator's and master referents' tool): the
    admin site and the base classes of every ModelAdmin (:mod:`.base`), and the admin of the apps
    those build on (:mod:`.admin`)."""

    name = "apps.admin_face"
    label = "admin_face"
    verbose_name = _("Admin")


class ImmerSupAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the policy-checking admin site as ``admin.site``.

    Listed in INSTALLED_APPS instead of "django.contrib.admin". ``default = False``
    keeps AdminFaceConfig the configuration Django picks for "apps.admin_face".
    """

    default = False
    default_site = "apps.admin_face.base.ImmerSupAdminSite"
