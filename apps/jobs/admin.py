"""The run log, read-only, for the platform operator (schedules: django-celery-beat's admin)."""

from django.contrib import admin
from django_celery_beat import admin as beat_admin
from django_celery_beat import models as beat_models

from apps.admin_face.base import PolicyAdmin, is_operator

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(PolicyAdmin):
    list_display = ("started_at", "job", "site", "status", "finished_at", "counts")
    list_filter = ("status", "job", "site")
    list_select_related = ("site",)
    search_fields = ("job", "error")
    date_hierarchy = "started_at"
    fields = ("job", "site", "status", "started_at", "finished_at", "counts", "error")
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


# --- The schedules (django-celery-beat), for the operator only -----------------------------
# django-celery-beat registers its admin with Django's per-model permissions, which ImmerSup
# does not use: registered again, its pages follow the platform's rule instead (the operator
# edits the schedules; master referents and everyone else never see them).


class OperatorOnly:
    def has_module_permission(self, request):
        return is_operator(request)

    def has_view_permission(self, request, obj=None):
        return is_operator(request)

    def has_add_permission(self, request, *args):
        return is_operator(request)

    def has_change_permission(self, request, obj=None):
        return is_operator(request)

    def has_delete_permission(self, request, obj=None):
        return is_operator(request)


class PeriodicTaskInline(OperatorOnly, beat_admin.PeriodicTaskInline):
    pass


def _operator_only(model, admin_class):
    attributes = {}
    if getattr(admin_class, "inlines", None):
        attributes["inlines"] = [PeriodicTaskInline]
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(admin_class.__name__, (OperatorOnly, admin_class), attributes))


for _model, _admin_class in (
    (beat_models.PeriodicTask, beat_admin.PeriodicTaskAdmin),
    (beat_models.CrontabSchedule, beat_admin.CrontabScheduleAdmin),
    (beat_models.IntervalSchedule, beat_admin.IntervalScheduleAdmin),
    (beat_models.ClockedSchedule, beat_admin.ClockedScheduleAdmin),
    (beat_models.SolarSchedule, beat_admin.SolarScheduleAdmin),
):
    _operator_only(_model, _admin_class)
