from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.admin_face.base import SiteOwnedAdmin, SiteOwnedInline

from .models import Building, Campus, Establishment, HighSchool, Structure


@admin.register(Establishment)
class EstablishmentAdmin(SiteOwnedAdmin):
    list_display = ("label", "code", "is_master", "uai", "city", "is_active")
    list_filter = ("is_master", "is_active")
    search_fields = ("label", "code", "uai", "city")
    autocomplete_fields = ("institution",)
    fieldsets = (
        (None, {"fields": ("label", "code", "is_master", "uai", "institution", "is_active")}),
        (_("Contact"), {"fields": ("address", "zip_code", "city", "email", "phone", "website", "logo")}),
    )


@admin.register(Structure)
class StructureAdmin(SiteOwnedAdmin):
    list_display = ("label", "code", "establishment", "email", "is_active")
    list_filter = ("establishment", "is_active")
    list_select_related = ("establishment",)
    search_fields = ("label", "code", "establishment__label")


@admin.register(HighSchool)
class HighSchoolAdmin(SiteOwnedAdmin):
    list_display = (
        "label",
        "city",
        "uai",
        "agreement_start",
        "agreement_end",
        "hosts_post_bac_trainings",
        "accepts_individual_immersions",
        "is_active",
    )
    list_filter = ("is_active", "hosts_post_bac_trainings", "accepts_individual_immersions", "city")
    search_fields = ("label", "uai", "city")
    autocomplete_fields = ("directory_entry",)
    fieldsets = (
        (None, {"fields": ("label", "uai", "directory_entry", "is_active")}),
        (_("Contact"), {"fields": ("address", "zip_code", "city", "email", "phone")}),
        (
            _("Agreement and hosting"),
            {
                "fields": (
                    "agreement_start",
                    "agreement_end",
                    "hosts_post_bac_trainings",
                    "accepts_individual_immersions",
                )
            },
        ),
    )


class BuildingInline(SiteOwnedInline):
    model = Building
    fields = ("label", "map_url", "is_active")


@admin.register(Campus)
class CampusAdmin(SiteOwnedAdmin):
    list_display = ("label", "establishment", "city", "is_active")
    list_filter = ("establishment", "is_active")
    list_select_related = ("establishment",)
    search_fields = ("label", "city", "establishment__label")
    inlines = (BuildingInline,)


@admin.register(Building)
class BuildingAdmin(SiteOwnedAdmin):
    list_display = ("label", "campus", "establishment", "is_active")
    list_filter = ("campus", "is_active")
    list_select_related = ("campus__establishment",)
    search_fields = ("label", "campus__label")

    @admin.display(description=_("establishment"), ordering="campus__establishment__label")
    def establishment(self, obj):
        return obj.campus.establishment
