from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.admin_face.base import PolicyAdmin, SiteOwnedAdmin

from .models import FederatedIdentity, FederationSettings
from .saml import sp_entity_id


@admin.register(FederationSettings)
class FederationSettingsAdmin(SiteOwnedAdmin):
    """The master referent chooses the site's sign-in methods (one row per site)."""

    filter_horizontal = ("cas_establishments",)
    readonly_fields = ("service_provider",)
    fieldsets = (
        (_("Local accounts"), {"fields": ("local_pupils_enabled", "local_students_enabled")}),
        (
            _("CAS (staff)"),
            {"fields": ("cas_enabled", "cas_server_url", "cas_version", "cas_label", "cas_establishments")},
        ),
        (
            _("RENATER federation (students, staff)"),
            {
                "fields": (
                    "shibboleth_enabled",
                    "shibboleth_for_staff",
                    "shibboleth_metadata_url",
                    "shibboleth_metadata_xml",
                    "shibboleth_discovery_url",
                    "shibboleth_attr_email",
                    "shibboleth_attr_eppn",
                    "shibboleth_attr_first_name",
                    "shibboleth_attr_last_name",
                    "shibboleth_attr_institution",
                    "shibboleth_attr_affiliation",
                )
            },
        ),
        (
            _("EduConnect (pupils)"),
            {
                "fields": (
                    "educonnect_enabled",
                    "educonnect_metadata_url",
                    "educonnect_metadata_xml",
                    "educonnect_attr_persistent_id",
                    "educonnect_attr_first_name",
                    "educonnect_attr_last_name",
                    "educonnect_attr_birth_date",
                    "educonnect_attr_uai",
                    "educonnect_attr_mefstat4",
                    "educonnect_attr_affiliation",
                    "educonnect_attr_email",
                )
            },
        ),
        (_("This site as a SAML service provider"), {"fields": ("service_provider",)}),
    )

    @admin.display(description=_("entity ID (metadata URL)"))
    def service_provider(self, obj):
        site = getattr(obj, "site", None) if obj and obj.site_id else None
        return sp_entity_id(site) if site and site.primary_host else "—"

    def has_add_permission(self, request, obj=None):
        exists = FederationSettings.objects.filter(site=getattr(request, "site", None)).exists()
        return super().has_add_permission(request, obj) and not exists


@admin.register(FederatedIdentity)
class FederatedIdentityAdmin(PolicyAdmin):
    """Global rows: the operator reads them; they are written by the sign-in services only."""

    operator_only_writes = True
    list_display = ("user", "provider", "issuer", "created_at", "last_used_at")
    list_filter = ("provider",)
    search_fields = ("user__email",)
    readonly_fields = ("user", "provider", "issuer", "subject", "created_at", "last_used_at")

    def has_module_permission(self, request):
        return super().has_module_permission(request) and bool(getattr(request.user, "is_operator", False))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and bool(getattr(request.user, "is_operator", False))

    def has_add_permission(self, request, obj=None):
        return False
