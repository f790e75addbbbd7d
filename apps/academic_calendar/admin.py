from django.contrib import admin

from apps.admin_face.base import SiteOwnedAdmin, SiteOwnedInline

from .models import Holiday, Period, UniversityYear, Vacation


class PeriodInline(SiteOwnedInline):
    model = Period
    fields = (
        "label",
        "registration_start",
        "registration_end",
        "immersion_start",
        "immersion_end",
        "quota_per_person",
        "deadline_policy",
        "registration_hours_before",
        "cancellation_hours_before",
    )
    show_change_link = True


class HolidayInline(SiteOwnedInline):
    model = Holiday
    fields = ("label", "date")


class VacationInline(SiteOwnedInline):
    model = Vacation
    fields = ("label", "start_date", "end_date")


@admin.register(UniversityYear)
class UniversityYearAdmin(SiteOwnedAdmin):
    list_display = ("label", "start_date", "end_date", "accounts_open_date", "purge_date", "is_active")
    list_filter = ("is_active",)
    search_fields = ("label",)
    inlines = (PeriodInline, HolidayInline, VacationInline)


@admin.register(Period)
class PeriodAdmin(SiteOwnedAdmin):
    list_display = (
        "label",
        "year",
        "registration_start",
        "registration_end",
        "immersion_start",
        "immersion_end",
        "quota_per_person",
        "deadline_policy",
    )
    list_filter = ("year", "deadline_policy")
    list_select_related = ("year",)
    search_fields = ("label",)


@admin.register(Holiday)
class HolidayAdmin(SiteOwnedAdmin):
    list_display = ("label", "date", "year")
    list_filter = ("year",)
    list_select_related = ("year",)
    search_fields = ("label",)
    date_hierarchy = "date"


@admin.register(Vacation)
class VacationAdmin(SiteOwnedAdmin):
    list_display = ("label", "start_date", "end_date", "year")
    list_filter = ("year",)
    list_select_related = ("year",)
    search_fields = ("label",)
