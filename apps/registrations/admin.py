"""Registrations, for reading and for recording attendance.

Creating, cancelling or deleting a registration moves the places counters of its slot
and follows the registration rules: that goes through the registration services, never
through a bare form, so the admin neither adds nor deletes registrations and only lets
the attendance be changed — through the attendance service (its rules, who recorded it,
its row in the action log). Deleting a calendar feed goes through its service too.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.admin_face.base import SiteOwnedAdmin, SiteOwnedModelForm, current_site

from . import services
from .attendance import attendance_problem, record_attendance
from .models import CalendarFeed, CourseAlert, GroupRegistration, Registration, Status, WaitingListEntry

SLOT_LABEL = ("slot__course", "slot__event")


class RegistrationAdminBase(SiteOwnedAdmin):
    editable_fields = ()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = [field for fieldset in self.get_fieldsets(request, obj) for field in fieldset[1]["fields"]]
        return [field for field in fields if field not in self.editable_fields]


class RegistrationAdminForm(SiteOwnedModelForm):
    """The attendance service's rules, checked on the form so that a refusal reads as an error."""

    #: Set by the admin on the (fresh, per request) form class, like ``current_site``.
    current_user = None

    def clean(self):
        cleaned = super().clean()
        if "attendance" in self.changed_data:
            if self.instance.status != Status.ACTIVE:
                raise ValidationError(gettext("This registration is already cancelled."))
            problem = attendance_problem(self.instance.slot, by=self.current_user, site=self.current_site)
            if problem:
                raise ValidationError(problem)
        return cleaned


@admin.register(Registration)
class RegistrationAdmin(RegistrationAdminBase):
    form = RegistrationAdminForm
    editable_fields = ("attendance",)
    list_display = ("person", "slot", "status", "attendance", "registered_at", "cancelled_at")
    list_filter = ("status", "attendance", "slot__period", "registered_at")
    list_select_related = ("person", *SLOT_LABEL)
    search_fields = (
        "person__email",
        "person__first_name",
        "person__last_name",
        "slot__course__label",
        "slot__event__label",
    )
    date_hierarchy = "registered_at"
    fieldsets = (
        (None, {"fields": ("slot", "person", "status", "attendance")}),
        (
            _("History"),
            {
                "fields": (
                    "registered_at",
                    "registered_by",
                    "overrides",
                    "from_waiting_list",
                    "cancelled_at",
                    "cancellation_reason",
                    "cancelled_by",
                    "attendance_recorded_at",
                    "attendance_recorded_by",
                )
            },
        ),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.current_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        # Only the attendance is editable: the service records it (not the generic admin row).
        if change and "attendance" in form.changed_data:
            record_attendance(obj.slot, {obj.pk: obj.attendance}, by=request.user, site=current_site(request))


@admin.register(GroupRegistration)
class GroupRegistrationAdmin(RegistrationAdminBase):
    list_display = (
        "high_school",
        "slot",
        "pupils_count",
        "accompanying_adults",
        "contact_name",
        "status",
        "registered_at",
    )
    list_filter = ("status", "slot__period", "high_school")
    list_select_related = ("high_school", *SLOT_LABEL)
    search_fields = ("high_school__label", "contact_name", "contact_email", "slot__course__label", "slot__event__label")
    date_hierarchy = "registered_at"
    fieldsets = (
        (None, {"fields": ("slot", "high_school", "pupils_count", "accompanying_adults", "status")}),
        (_("Contact"), {"fields": ("contact_name", "contact_email", "contact_phone", "comment", "class_list_name")}),
        (_("History"), {"fields": ("registered_at", "registered_by", "cancelled_at")}),
    )

    @admin.display(description=_("class list"))
    def class_list_name(self, obj):
        # Private storage has no public URL: name the file, never link it from here.
        return obj.class_list.name.rsplit("/", 1)[-1] if obj.class_list else "-"

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WaitingListEntry)
class WaitingListEntryAdmin(RegistrationAdminBase):
    """The line of each slot, for reading: it moves only through the waiting-list services."""

    list_display = ("person", "slot", "status", "joined_at", "offer_expires_at")
    list_filter = ("status", "slot__period")
    list_select_related = ("person", *SLOT_LABEL)
    search_fields = ("person__email", "person__last_name", "slot__course__label", "slot__event__label")
    fieldsets = (
        (None, {"fields": ("slot", "person", "status", "skip_reason", "registration")}),
        (_("History"), {"fields": ("joined_at", "offered_at", "offer_expires_at", "closed_at")}),
    )

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CourseAlert)
class CourseAlertAdmin(RegistrationAdminBase):
    list_display = ("person", "course", "created_at", "notified_at")
    list_select_related = ("person", "course")
    search_fields = ("person__email", "person__last_name", "course__label")
    fieldsets = ((None, {"fields": ("course", "person", "created_at", "notified_at")}),)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(RegistrationAdminBase):
    """Who subscribed to their calendar. The secret itself is never shown; deleting revokes it."""

    list_display = ("person", "created_at")
    list_select_related = ("person",)
    search_fields = ("person__email", "person__last_name")
    fieldsets = ((None, {"fields": ("person", "created_at")}),)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def delete_model(self, request, obj):
        services.delete_calendar_feed(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for feed in queryset.select_related("site", "person"):
                services.delete_calendar_feed(feed, by=request.user)
