"""National directories: read-only for master referents, maintained by operators."""

from django.contrib import admin

from apps.admin_face.base import PolicyAdmin

from .models import HigherEducationInstitution, SchoolDirectoryEntry


class DirectoryAdmin(PolicyAdmin):
    operator_only_writes = True
    list_per_page = 100


@admin.register(HigherEducationInstitution)
class HigherEducationInstitutionAdmin(DirectoryAdmin):
    list_display = ("label", "uai", "city", "department", "country")
    list_filter = ("country",)
    search_fields = ("uai", "label", "city", "department")


@admin.register(SchoolDirectoryEntry)
class SchoolDirectoryEntryAdmin(DirectoryAdmin):
    list_display = ("label", "uai", "city", "academy")
    list_filter = ("academy",)
    search_fields = ("uai", "label", "city")
