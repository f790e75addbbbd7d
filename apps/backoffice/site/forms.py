"""Forms of the site-management pages (bound to the site before validation, Bootstrap widgets)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.attestations.models import AttestationType
from apps.backoffice.organisations.forms import form_field
from apps.backoffice.reference.forms import TEXTAREA, SiteBoundForm
from apps.federation.models import FederationSettings
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


LOCAL = ("local_pupils_enabled", "local_students_enabled")
CAS = ("cas_enabled", "cas_server_url", "cas_version", "cas_label", "cas_establishments")
SHIBBOLETH = (
    "shibboleth_enabled",
    "shibboleth_for_staff",
    "shibboleth_metadata_url",
    "shibboleth_metadata_xml",
    "shibboleth_discovery_url",
    "shibboleth_attr_email",
    "shibboleth_attr_eppn",
    "shibboleth_attr_first_name",
    "shibboleth_attr_last_name",
    "shibboleth_attr_institution",
    "shibboleth_attr_affiliation",
)
EDUCONNECT = (
    "educonnect_enabled",
    "educonnect_metadata_url",
    "educonnect_metadata_xml",
    "educonnect_attr_persistent_id",
    "educonnect_attr_first_name",
    "educonnect_attr_last_name",
    "educonnect_attr_birth_date",
    "educonnect_attr_uai",
    "educonnect_attr_mefstat4",
    "educonnect_attr_affiliation",
    "educonnect_attr_email",
)
#: (legend, field names) of the sign-in form, as the admin groups them.
SIGN_IN_GROUPS = (
    (_("Local accounts"), LOCAL),
    (_("CAS (staff)"), CAS),
    (_("RENATER federation (students, staff)"), SHIBBOLETH),
    (_("EduConnect (pupils)"), EDUCONNECT),
)
XML = forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})


class SignInSettingsForm(SiteBoundForm):
    class Meta:
        model = FederationSettings
        fields = (*LOCAL, *CAS, *SHIBBOLETH, *EDUCONNECT)
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
