from django.contrib import admin

from apps.admin_face.base import SiteOwnedAdmin, SiteOwnedInline

from . import models


class ReferenceItemAdmin(SiteOwnedAdmin):
    list_display = ("label", "position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("label",)


@admin.register(models.HighSchoolLevel)
class HighSchoolLevelAdmin(ReferenceItemAdmin):
    list_display = ("label", "position", "is_post_bachelor", "requires_speciality", "is_active")
    list_filter = ("is_active", "is_post_bachelor", "requires_speciality")


@admin.register(models.PostBachelorLevel, models.StudentLevel, models.GeneralSpeciality, models.PublicType)
class SimpleReferenceAdmin(ReferenceItemAdmin):
    pass


@admin.register(models.EventType)
class EventTypeAdmin(ReferenceItemAdmin):
    pass


@admin.register(models.BachelorType)
class BachelorTypeAdmin(ReferenceItemAdmin):
    list_display = ("label", "kind", "position", "is_active")
    list_filter = ("is_active", "kind")


@admin.register(models.TechnologicalSeries)
class TechnologicalSeriesAdmin(ReferenceItemAdmin):
    list_display = ("label", "code", "position", "is_active")
    search_fields = ("label", "code")


@admin.register(models.CourseType)
class CourseTypeAdmin(ReferenceItemAdmin):
    list_display = ("code", "label", "position", "is_active")
    search_fields = ("label", "code")


@admin.register(models.CancellationReason)
class CancellationReasonAdmin(ReferenceItemAdmin):
    list_display = (
        "label",
        "usable_by_registrants",
        "usable_by_managers",
        "usable_by_system",
        "position",
        "is_active",
    )
    list_filter = ("is_active", "usable_by_registrants", "usable_by_managers", "usable_by_system")


class TrainingSubdomainInline(SiteOwnedInline):
    model = models.TrainingSubdomain
    fields = ("label", "position", "is_active")


@admin.register(models.TrainingDomain)
class TrainingDomainAdmin(ReferenceItemAdmin):
    inlines = (TrainingSubdomainInline,)


@admin.register(models.TrainingSubdomain)
class TrainingSubdomainAdmin(ReferenceItemAdmin):
    list_display = ("label", "domain", "position", "is_active")
    list_filter = ("is_active", "domain")
    list_select_related = ("domain",)
    search_fields = ("label", "domain__label")
