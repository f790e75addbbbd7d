from django.contrib import admin

from apps.admin_face.base import SiteOwnedAdmin

from .models import PupilRecord, StudentRecord, VisitorRecord


class RecordAdmin(SiteOwnedAdmin):
    """Records are read here; they change through the record pages and the validation workflow."""

    list_display = ("user", "status", "submitted_at", "validated_at")
    list_filter = ("status",)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    list_select_related = ("user",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PupilRecord)
class PupilRecordAdmin(RecordAdmin):
    list_display = ("user", "high_school", "level", "status", "submitted_at", "validated_at")
    list_filter = ("status", "level", "high_school")
    list_select_related = ("user", "high_school", "level")


@admin.register(StudentRecord)
class StudentRecordAdmin(RecordAdmin):
    list_display = ("user", "institution", "level", "status", "submitted_at", "validated_at")
    list_select_related = ("user", "institution", "level")


@admin.register(VisitorRecord)
class VisitorRecordAdmin(RecordAdmin):
    list_display = ("user", "visitor_type", "status", "submitted_at", "validated_at")
    list_select_related = ("user", "visitor_type")
