from django.contrib import admin

from apps.admin_face.base import SiteOwnedAdmin

from .models import DuplicateCandidate


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(SiteOwnedAdmin):
    """Read only: pairs are flagged on save and reviewed on the duplicates pages."""

    list_display = ("user_a", "user_b", "status", "created_at", "reviewed_by", "reviewed_at")
    list_filter = ("status",)
    search_fields = ("user_a__email", "user_a__last_name", "user_b__email", "user_b__last_name")
    list_select_related = ("user_a", "user_b", "reviewed_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
