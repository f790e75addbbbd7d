from django.contrib import admin

from apps.admin_face.base import SiteOwnedAdmin

from .models import SavedListFilter


@admin.register(SavedListFilter)
class SavedListFilterAdmin(SiteOwnedAdmin):
    list_display = ("user", "list_key", "query_string", "updated_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "list_key")
