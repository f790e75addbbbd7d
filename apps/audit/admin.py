"""The action log of the current site, read-only, for the platform operator (the site's staff
read it in the back office)."""

from django.contrib import admin

from apps.core.admin import SiteOwnedAdmin, is_operator

from .models import ActionLog


@admin.register(ActionLog)
class ActionLogAdmin(SiteOwnedAdmin):
    list_display = ("actor_label", "acting_as_label", "action", "object_label", "ip")
    list_filter = ("action",)
    search_fields = ("action", "actor_label", "object_label", "subject_label", "object_id")
    date_hierarchy = "created_at"
    fields = (
        "created_at",
        "site",
        "actor_label",
        "acting_as_label",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "subject_label",
        "establishment_id",
        "high_school_id",
        "data",
        "ip",
        "pseudonymised",
    )
    readonly_fields = fields

    def has_module_permission(self, request):
        return is_operator(request)

    def has_view_permission(self, request, obj=None):
        return is_operator(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
