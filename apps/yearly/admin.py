"""Read-only admin of the yearly cycle: both models are records of what happened."""

from django.contrib import admin

from apps.admin_face.base import SiteOwnedAdmin

from .models import AnnualStatistics, PurgeRun


class ReadOnlyAdmin(SiteOwnedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnnualStatistics)
class AnnualStatisticsAdmin(ReadOnlyAdmin):
    list_display = ("year", "computed_at", "frozen_at")


@admin.register(PurgeRun)
class PurgeRunAdmin(ReadOnlyAdmin):
    list_display = ("year", "dry_run", "status", "progress", "requested_by_name", "created_at", "finished_at")
    list_filter = ("dry_run", "status")
