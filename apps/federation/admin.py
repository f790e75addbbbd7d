from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.admin_face.base import PolicyAdmin, SiteOwnedAdmin

from .models import SIGN_IN_GROUPS, FederatedIdentity, FederationSettings
from .saml import sp_entity_id


@admin.register(FederationSettings)
class FederationSettingsAdmin(SiteOwnedAdmin):
    """The master referent chooses the site's sign-in methods (one row per site)."""

    filter_horizontal = ("cas_establishments",)
    readonly_fields = ("service_provider",)
    fieldsets = (
        *((legend, {"fields": names}) for legend, names in SIGN_IN_GROUPS),
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
