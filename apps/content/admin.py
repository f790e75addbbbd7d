from django.contrib import admin

from apps.admin_face.base import SiteOwnedAdmin

from .models import AccompanyingDocument, FaqEntry, PublicPage


@admin.register(PublicPage)
class PublicPageAdmin(SiteOwnedAdmin):
    list_display = ("title", "slug", "published", "updated_at")
    list_filter = ("published", "slug")
    search_fields = ("title",)


@admin.register(FaqEntry)
class FaqEntryAdmin(SiteOwnedAdmin):
    list_display = ("question", "position", "published")
    list_filter = ("published",)
    search_fields = ("question",)


@admin.register(AccompanyingDocument)
class AccompanyingDocumentAdmin(SiteOwnedAdmin):
    list_display = ("title", "audience", "position", "published")
    list_filter = ("published", "audience")
    search_fields = ("title",)
    readonly_fields = ("original_name", "size")
