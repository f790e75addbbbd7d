"""The site's settings and branding, as far as its master referent may change them (the
name, slug, host names and activation stay with the operator, in the admin)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from apps.accounts.policy import Action, can
from apps.backoffice.log.history import history_context
from apps.backoffice.organisations.forms import form_field
from apps.tenancy.models import Site

from . import services
from .forms import StyledFormMixin, style_widgets
from .guards import master_view

LOGO_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
BRANDING = ("tagline", "welcome_text", "footer_text", "primary_colour", "secondary_colour", "logo")
SETTINGS = (
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
COLOUR = forms.TextInput(attrs={"type": "color"})


class SiteSettingsForm(StyledFormMixin, forms.ModelForm):
    training_quota = forms.IntegerField(label=gettext_lazy("registrations per training and period"), min_value=1)

    class Meta:
        model = Site
        fields = (*BRANDING, *SETTINGS)
        formfield_callback = form_field
        widgets = {
            "primary_colour": COLOUR,
            "secondary_colour": COLOUR,
            "welcome_text": forms.Textarea(attrs={"rows": 4}),
            "footer_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].widget.attrs["accept"] = ",".join(sorted(LOGO_TYPES))
        style_widgets(self)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        # A new upload has been opened by Pillow (forms.ImageField): check its size and format too.
        if logo and hasattr(logo, "content_type") and hasattr(logo, "image"):
            if logo.size > settings.MAX_UPLOAD_SIZE:
                raise forms.ValidationError(
                    _("This file is too large (%(size)s); the limit is %(limit)s.")
                    % {"size": filesizeformat(logo.size), "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)}
                )
            if logo.content_type not in LOGO_TYPES:
                raise forms.ValidationError(_("Send the logo as a PNG, JPEG, GIF or WebP image."))
        return logo


@master_view
@require_http_methods(["GET", "POST"])
def site_settings(request):
    site = Site.objects.get(pk=request.site.pk)  # a fresh copy, not the cached one
    if not can(request.actor, Action.CHANGE, site, request.site):
        raise PermissionDenied
    form = SiteSettingsForm(request.POST or None, request.FILES or None, instance=site)
    if request.method == "POST" and form.is_valid():
        services.save_site_settings(form, by=request.user)
        messages.success(request, _("The settings of the site were saved."))
        return redirect("backoffice:reference_site_settings")
    context = {"form": form, "branding": [form[name] for name in BRANDING], "settings": [form[n] for n in SETTINGS]}
    context.update(history_context(request, site))
    return render(request, "backoffice/reference/site_settings.html", context)
