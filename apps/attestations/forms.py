"""The upload form of one document type (the checks themselves are in the service)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), required=False, widget=forms.FileInput(attrs={"accept": ACCEPT}))
    validity_date = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, attestation_type, **kwargs):
        kwargs.setdefault("prefix", f"type{attestation_type.pk}")
        super().__init__(*args, **kwargs)
        self.attestation_type = attestation_type
        self.fields["file"].help_text = _("PDF, JPEG or PNG, %(limit)s at most.") % {
            "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)
        }
        if attestation_type.requires_validity_date:
            self.fields["validity_date"].help_text = _("The last day this document is valid.")
        else:
            del self.fields["validity_date"]
