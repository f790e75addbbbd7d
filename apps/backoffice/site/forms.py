"""Forms of the site-management pages (bound to the site before validation, Bootstrap widgets)."""

from django import forms

from apps.attestations.models import AttestationType
from apps.backoffice.organisations.forms import form_field
from apps.backoffice.reference.forms import TEXTAREA, SiteBoundForm
from apps.federation.models import SIGN_IN_GROUPS, FederationSettings
from apps.organisations.models import Establishment
from apps.staff.models import Charter

ASKED_OF = ("for_pupils_with_agreement", "for_pupils_without_agreement", "for_visitors", "minors_only")


class AttestationTypeForm(SiteBoundForm):
    class Meta:
        model = AttestationType
        formfield_callback = form_field
        fields = (
            "label",
            "description",
            "template_file",
            *ASKED_OF,
            "mandatory",
            "requires_validity_date",
            "is_active",
            "position",
        )
        # Not ClearableFileInput: it links the stored file, and private files have no URL.
        widgets = {"description": TEXTAREA, "template_file": forms.FileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template_file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"


class CharterForm(SiteBoundForm):
    class Meta:
        model = Charter
        fields = ("version", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}


XML = forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})


class SignInSettingsForm(SiteBoundForm):
    class Meta:
        model = FederationSettings
        fields = tuple(name for _legend, names in SIGN_IN_GROUPS for name in names)
        formfield_callback = form_field  # no query at import: the establishments are the site's
        widgets = {
            "cas_establishments": forms.CheckboxSelectMultiple,
            "shibboleth_metadata_xml": XML,
            "educonnect_metadata_xml": XML,
        }

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, site=site, **kwargs)
        self.fields["cas_establishments"].queryset = Establishment.objects.filter(site=site).order_by("label")

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in SIGN_IN_GROUPS]
