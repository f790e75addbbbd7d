"""The action log of the current site, read-only, in the admin (for its users: the operator and the
site's master referents; the site's staff read it in the back office)."""

from django.contrib import admin

from apps.accounts.policy import may_read_log
from apps.audit.models import ActionLog

from ..base import SiteOwnedAdmin, current_site


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
        return may_read_log(request.user, current_site(request))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
