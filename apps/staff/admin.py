from django.contrib import admin

from apps.admin_face.base import SiteOwnedAdmin, current_site

from . import services
from .models import Charter, CharterSignature


@admin.register(Charter)
class CharterAdmin(SiteOwnedAdmin):
    list_display = ("version", "published_at")
    search_fields = ("version", "text")

    def save_model(self, request, obj, form, change):
        # The service logs the version created, changed or published (not the generic admin row).
        services.save_charter(request.user, current_site(request), obj)


@admin.register(CharterSignature)
class CharterSignatureAdmin(SiteOwnedAdmin):
    """Signatures are given on the charter page by the signing referent, never typed in here."""

    list_display = ("charter", "establishment", "high_school", "signed_by", "signed_at")
    list_filter = ("charter",)
    list_select_related = ("charter", "establishment", "high_school", "signed_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
