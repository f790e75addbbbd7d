"""Sites and host names: the operator's business; a master referent may only brand and
set up their own site."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import Site, SiteHost

from ..base import AdminInlineFormSet, PolicyAdmin, PolicyInline, current_site, is_operator

IDENTITY_FIELDS = ("name", "slug", "is_active")


class SiteHostFormSet(AdminInlineFormSet):
    def clean(self):
        super().clean()
        hosts, primaries = set(), 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or self._should_delete_form(form):
                continue
            host = (data.get("host") or "").strip().lower()
            if host in hosts:
                form.add_error("host", _("This host name is listed twice."))
            hosts.add(host)
            primaries += bool(data.get("is_primary"))
        if primaries > 1:
            raise ValidationError(_("Only one host name can be the primary one."))


class SiteHostInline(PolicyInline):
    model = SiteHost
    formset = SiteHostFormSet
    fields = ("host", "is_primary")
    operator_only_writes = True


@admin.register(Site)
class SiteAdmin(PolicyAdmin):
    list_display = ("name", "slug", "host_names", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "slug", "hosts__host")
    readonly_fields = ("created_at",)
    inlines = (SiteHostInline,)
    fieldsets = (
        (None, {"fields": (*IDENTITY_FIELDS, "created_at")}),
        (
            _("Branding"),
            {"fields": ("logo", "primary_colour", "secondary_colour", "tagline", "welcome_text", "footer_text")},
        ),
        (
            _("Settings"),
            {
                "fields": (
                    "contact_email",
                    "sender_email",
                    "individual_registrations_enabled",
                    "group_registrations_enabled",
                    "waiting_list_enabled",
                    "waiting_list_claim_hours",
                    "training_quota_enabled",
                    "training_quota",
                    "remote_link_lead_minutes",
                    "reminder_days_before",
                    "document_expiry_warning_days",
                    "survey_after_slot_url",
                    "survey_end_of_year_url",
                )
            },
        ),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("hosts")
        if is_operator(request):
            return queryset
        return queryset.filter(pk=current_site(request).pk)

    def may_touch(self, request, obj, action):
        if is_operator(request):
            return True
        # A master referent sees and sets up their own site, and only that.
        return obj.pk == current_site(request).pk and action in ("view", "change")

    def has_add_permission(self, request):
        return is_operator(request)

    def has_delete_permission(self, request, obj=None):
        return is_operator(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if is_operator(request) else (*readonly, *IDENTITY_FIELDS)

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("name",)} if is_operator(request) else {}

    @admin.display(description=_("host names"))
    def host_names(self, obj):
        return ", ".join(host.host for host in obj.hosts.all())


@admin.register(SiteHost)
class SiteHostAdmin(PolicyAdmin):
    list_display = ("host", "site", "is_primary")
    list_filter = ("is_primary", "site")
    list_select_related = ("site",)
    search_fields = ("host", "site__name")
    operator_only_writes = True

    def has_module_permission(self, request):
        return is_operator(request)

    def has_view_permission(self, request, obj=None):
        return is_operator(request)
