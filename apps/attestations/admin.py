"""The master referent defines the document types; sent documents are only read here.

The admin never builds a URL to a private file (the storage has none): it shows the
file's name, and links to the rights-checking download view.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.admin_face.base import SiteOwnedAdmin

from .models import Attestation, AttestationType


class PrivateFileInput(forms.ClearableFileInput):
    """A file input that shows the current file's name, never its (non-existent) URL."""

    template_name = "attestations/widgets/private_file_input.html"

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        instance = getattr(value, "instance", None)
        if self.is_initial(value):
            context["widget"]["display_name"] = getattr(instance, "template_original_name", "") or _("current file")
            if getattr(instance, "pk", None):
                context["widget"]["download_url"] = reverse("attestations:template", args=[instance.pk])
        return context


@admin.register(AttestationType)
class AttestationTypeAdmin(SiteOwnedAdmin):
    list_display = (
        "label",
        "for_pupils_with_agreement",
        "for_pupils_without_agreement",
        "for_visitors",
        "minors_only",
        "mandatory",
        "requires_validity_date",
        "is_active",
        "position",
    )
    list_filter = ("is_active", "mandatory", "minors_only")
    search_fields = ("label",)
    readonly_fields = ("template_original_name",)
    fieldsets = (
        (None, {"fields": ("label", "description", "template_file", "template_original_name")}),
        (
            _("Asked of"),
            {"fields": ("for_pupils_with_agreement", "for_pupils_without_agreement", "for_visitors", "minors_only")},
        ),
        (None, {"fields": ("mandatory", "requires_validity_date", "is_active", "position")}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "template_file":
            kwargs["widget"] = PrivateFileInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Attestation)
class AttestationAdmin(SiteOwnedAdmin):
    """Read only: documents come from their owners, through the upload service."""

    list_display = ("user", "attestation_type", "original_name", "uploaded_at", "validity_date", "archived_at")
    list_filter = ("attestation_type", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("user__email", "user__first_name", "user__last_name", "original_name")
    list_select_related = ("user", "attestation_type")
    # Never ``file``: its admin display would build a URL, and private files have none.
    fields = (
        "user",
        "attestation_type",
        "download",
        "content_type",
        "size",
        "uploaded_at",
        "validity_date",
        "archived_at",
    )
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("attestations:download", args=[obj.pk]), obj.original_name)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
