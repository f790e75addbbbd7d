"""Sites (tenants) and the base class of every row that belongs to one.

A *site* is a region or a university network with its own host names, branding and
data. Every site-owned model inherits :class:`SiteOwnedModel`: it carries its site,
its default manager refuses to query without an active scope (django-scopes, so a
forgotten filter fails loudly instead of leaking), and saving it checks that no
foreign key points into another site.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


class Site(models.Model):
    """A tenant of the platform. Global by nature: it is what scopes everything else."""

    tenancy = "global"

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Branding
    logo = models.ImageField(_("logo"), upload_to="sites/logos/", blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1d4e89", validators=[colour_validator]
    )
    secondary_colour = models.CharField(
        _("secondary colour"), max_length=7, default="#f5a623", validators=[colour_validator]
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    welcome_text = models.TextField(_("welcome text"), blank=True)
    footer_text = models.TextField(_("footer text"), blank=True)
    # Settings of the site
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    sender_email = models.EmailField(_("sender e-mail"), blank=True)
    individual_registrations_enabled = models.BooleanField(_("individual registrations enabled"), default=True)
    group_registrations_enabled = models.BooleanField(_("group registrations enabled"), default=True)
    waiting_list_enabled = models.BooleanField(_("waiting list enabled"), default=True)
    waiting_list_claim_hours = models.PositiveSmallIntegerField(_("hours to claim a waiting-list offer"), default=24)
    training_quota_enabled = models.BooleanField(_("per-training quota enabled"), default=False)
    training_quota = models.PositiveSmallIntegerField(_("registrations per training and period"), default=2)
    remote_link_lead_minutes = models.PositiveSmallIntegerField(
        _("minutes before start when the remote link is shown"), default=30
    )
    # Scheduled jobs (apps.jobs)
    reminder_days_before = models.PositiveSmallIntegerField(_("days before a slot when reminders are sent"), default=2)
    document_expiry_warning_days = models.PositiveSmallIntegerField(
        _("days before a document expires when its owner is warned"), default=15
    )
    survey_after_slot_url = models.URLField(_("survey after a slot (address)"), blank=True)
    survey_end_of_year_url = models.URLField(_("end-of-year survey (address)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(training_quota__gte=1), name="site_training_quota_positive"),
        ]

    def __str__(self):
        return self.name

    @property
    def primary_host(self):
        hosts = list(self.hosts.all())
        for host in hosts:
            if host.is_primary:
                return host.host
        return hosts[0].host if hosts else None


class SiteHost(models.Model):
    """A host name that resolves to a site. Global: read before any site is known."""

    tenancy = "global"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="hosts", verbose_name=_("site"))
    host = models.CharField(
        _("host name"),
        max_length=253,
        validators=[RegexValidator(r"^[a-z0-9.-]+$", _("Lower-case host name, without port or scheme."))],
        help_text=_("For example immersion.example.org, without port or scheme."),
    )
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("host name")
        verbose_name_plural = _("host names")
        ordering = ["-is_primary", "host"]
        constraints = [
            models.UniqueConstraint(Lower("host"), name="sitehost_host_unique"),
            models.UniqueConstraint(
                fields=["site"], condition=models.Q(is_primary=True), name="sitehost_one_primary_per_site"
            ),
        ]

    def __str__(self):
        return self.host

    def save(self, *args, **kwargs):
        self.host = self.host.strip().lower()
        super().save(*args, **kwargs)


class CrossSiteReference(ValidationError):
    """A row of one site was about to point at a row of another site."""


class SiteOwnedModel(models.Model):
    """Base of every model whose rows belong to one site."""

    tenancy = "site"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", editable=False, verbose_name=_("site"))

    objects = ScopedManager(site="site")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.check_same_site()
        super().save(*args, **kwargs)

    def site_references(self):
        """Yield (field, related site id) for every loaded or stored site-owned foreign key."""
        for field in self._meta.concrete_fields:
            if not (field.many_to_one or field.one_to_one) or field.name == "site":
                continue
            related_model = field.related_model
            if not (isinstance(related_model, type) and issubclass(related_model, SiteOwnedModel)):
                continue
            value = getattr(self, field.attname)
            if value is None:
                continue
            if field.is_cached(self):
                yield field, getattr(self, field.name).site_id
            else:
                yield field, (related_model._base_manager.filter(pk=value).values_list("site_id", flat=True).first())

    def check_same_site(self):
        if self.site_id is None:
            raise CrossSiteReference({"site": _("A site must be set.")})
        errors = {
            field.name: _("This choice belongs to another site.")
            for field, site_id in self.site_references()
            if site_id != self.site_id
        }
        if errors:
            raise CrossSiteReference(errors)

    def clean(self):
        super().clean()
        if self.site_id is not None:
            self.check_same_site()
