"""How a site lets people in from identity providers, and who they are there.

:class:`FederationSettings` (one per site, edited by the master referent in the admin)
says which sign-in methods the site offers to each population and how to reach the
identity providers. :class:`FederatedIdentity` remembers, once and for all, which user
an identity provider's subject (CAS username, eduPersonPrincipalName, EduConnect
persistent id) belongs to.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import SiteOwnedModel

from .metadata import entity_ids_in


class CasVersion(models.TextChoices):
    V1 = "1", _("CAS 1")
    V2 = "2", _("CAS 2")
    V3 = "3", _("CAS 3")


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
#: (legend, field names) of the sign-in settings: the admin and the back office group them so.
SIGN_IN_GROUPS = (
    (_("Local accounts"), LOCAL),
    (_("CAS (staff)"), CAS),
    (_("RENATER federation (students, staff)"), SHIBBOLETH),
    (_("EduConnect (pupils)"), EDUCONNECT),
)


class FederationSettings(SiteOwnedModel):
    # Local accounts
    local_pupils_enabled = models.BooleanField(
        _("local accounts for pupils"),
        default=True,
        help_text=_("Pupils may sign up and sign in with an e-mail address and a password."),
    )
    local_students_enabled = models.BooleanField(
        _("local accounts for students"),
        default=False,
        help_text=_("Students may sign up with an e-mail address and a password (when they have no federation)."),
    )
    # CAS (staff only)
    cas_enabled = models.BooleanField(_("CAS enabled"), default=False)
    cas_server_url = models.URLField(
        _("CAS server URL"), blank=True, help_text=_("For example https://cas.example.org/cas/")
    )
    cas_version = models.CharField(_("CAS protocol version"), max_length=1, choices=CasVersion.choices, default="3")
    cas_establishments = models.ManyToManyField(
        "organisations.Establishment",
        blank=True,
        related_name="+",
        verbose_name=_("establishments using CAS"),
        help_text=_("Staff of these establishments are offered CAS sign-in."),
    )
    cas_label = models.CharField(_("CAS button label"), max_length=120, blank=True)
    # Shibboleth / RENATER (students and staff)
    shibboleth_enabled = models.BooleanField(_("RENATER federation enabled"), default=False)
    shibboleth_for_staff = models.BooleanField(
        _("offer RENATER to staff"), default=True, help_text=_("Staff accounts must exist before their first sign-in.")
    )
    shibboleth_metadata_url = models.URLField(
        _("RENATER metadata URL"), blank=True, help_text=_("Downloaded by manage.py refresh_federation_metadata.")
    )
    shibboleth_metadata_xml = models.TextField(_("RENATER metadata (XML)"), blank=True)
    shibboleth_discovery_url = models.URLField(_("discovery service URL"), blank=True)
    shibboleth_attr_email = models.CharField(_("e-mail attribute"), max_length=120, default="mail")
    shibboleth_attr_eppn = models.CharField(_("eppn attribute"), max_length=120, default="eduPersonPrincipalName")
    shibboleth_attr_first_name = models.CharField(_("first-name attribute"), max_length=120, default="givenName")
    shibboleth_attr_last_name = models.CharField(_("last-name attribute"), max_length=120, default="sn")
    shibboleth_attr_institution = models.CharField(
        _("institution attribute"),
        max_length=120,
        default="supannEtablissement",
        help_text=_("Holds the UAI of the home institution, as {UAI}0673021V."),
    )
    shibboleth_attr_affiliation = models.CharField(
        _("affiliation attribute"), max_length=120, default="eduPersonAffiliation"
    )
    # EduConnect (pupils)
    educonnect_enabled = models.BooleanField(_("EduConnect enabled"), default=False)
    educonnect_metadata_url = models.URLField(_("EduConnect metadata URL"), blank=True)
    educonnect_metadata_xml = models.TextField(_("EduConnect metadata (XML)"), blank=True)
    educonnect_attr_persistent_id = models.CharField(
        _("persistent-id attribute"),
        max_length=120,
        default="FrEduCtId",
        help_text=_("Leave empty to use the assertion's NameID."),
        blank=True,
    )
    educonnect_attr_first_name = models.CharField(_("first-name attribute"), max_length=120, default="givenName")
    educonnect_attr_last_name = models.CharField(_("last-name attribute"), max_length=120, default="sn")
    educonnect_attr_birth_date = models.CharField(
        _("birth-date attribute"), max_length=120, default="FrEduCtDateNaissance"
    )
    educonnect_attr_uai = models.CharField(_("school UAI attribute"), max_length=120, default="FrEduCtEleveUAI")
    educonnect_attr_mefstat4 = models.CharField(
        _("level attribute"),
        max_length=120,
        default="FrEduCtEleveNiveau",
        blank=True,
        help_text=_(
            "Holds the pupil's level as a MEFSTAT4 code (matched with the codes of the site's high-school "
            "levels). Without it, pupils choose their level in their record."
        ),
    )
    educonnect_attr_affiliation = models.CharField(
        _("affiliation attribute"),
        max_length=120,
        default="FrEduCtPersonAffiliation",
        blank=True,
        help_text=_("Tells pupils from their legal guardians, who may not sign in. Leave empty to skip the check."),
    )
    educonnect_attr_email = models.CharField(_("e-mail attribute"), max_length=120, default="mail", blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("sign-in methods")
        verbose_name_plural = _("sign-in methods")
        constraints = [models.UniqueConstraint(fields=["site"], name="federationsettings_one_per_site")]

    def __str__(self):
        return str(_("Sign-in methods"))

    def clean(self):
        super().clean()
        errors = {}
        if self.cas_enabled and not self.cas_server_url:
            errors["cas_server_url"] = _("Give the CAS server URL, or turn CAS off.")
        if self.shibboleth_enabled and not (self.shibboleth_metadata_xml or self.shibboleth_metadata_url):
            errors["shibboleth_metadata_xml"] = _("Give the federation's metadata (XML or URL), or turn it off.")
        if self.educonnect_enabled and not (self.educonnect_metadata_xml or self.educonnect_metadata_url):
            errors["educonnect_metadata_xml"] = _("Give EduConnect's metadata (XML or URL), or turn it off.")
        for field in ("shibboleth_metadata_xml", "educonnect_metadata_xml"):
            value = getattr(self, field)
            if value and field not in errors:
                try:
                    if not entity_ids_in(value):
                        errors[field] = _("This metadata describes no identity provider.")
                except ValueError:
                    errors[field] = _("This is not valid SAML metadata.")
        if errors:
            raise ValidationError(errors)


#: The session key naming how the person signed in (a :class:`Provider`, or "local"): sign-out reads it.
SESSION_AUTH_METHOD = "auth_method"


class Provider(models.TextChoices):
    CAS = "cas", _("CAS")
    SHIBBOLETH = "shibboleth", _("RENATER (Shibboleth)")
    EDUCONNECT = "educonnect", _("EduConnect")


def subject_digest(provider, issuer, subject):
    return hashlib.sha256(f"{provider}\x00{issuer}\x00{subject}".encode()).hexdigest()


class FederatedIdentity(models.Model):
    """(provider, issuer, subject) → user. Global, like the user it points at.

    The subject may be long and hold any character: it is stored as given and looked up
    by a SHA-256 digest of the triple.
    """

    tenancy = "global"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="federated_identities", verbose_name=_("user")
    )
    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    issuer = models.CharField(_("issuer"), max_length=500, help_text=_("CAS server URL or SAML entity ID."))
    subject = models.TextField(_("subject"))
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("federated identity")
        verbose_name_plural = _("federated identities")
        ordering = ["provider", "issuer"]

    def __str__(self):
        return f"{self.get_provider_display()} — {self.user}"

    def save(self, *args, **kwargs):
        self.digest = subject_digest(self.provider, self.issuer, self.subject)
        super().save(*args, **kwargs)
