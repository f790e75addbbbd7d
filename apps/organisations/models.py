"""Who takes part in a site: establishments, their structures, places, high schools."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.validators import uai_validator
from apps.tenancy.models import SiteOwnedModel


@dataclass(frozen=True)
class Owner:
    """Who a piece of the offer (or an establishment, a high school) belongs to: an establishment
    (and maybe one of its structures), or a host high school. The models answer with their
    ``owner`` property; the policy (``apps.accounts.policy.owner_of``) reads it to decide who
    manages the piece, the action log to record whose it was."""

    establishment_id: int | None = None
    structure_id: int | None = None
    high_school_id: int | None = None


class Establishment(SiteOwnedModel):
    """A higher-education establishment that hosts immersions; one per site is the master."""

    is_master = models.BooleanField(_("master establishment"), default=False)
    code = models.CharField(_("short name"), max_length=30)
    label = models.CharField(_("name"), max_length=255)
    uai = models.CharField(_("UAI"), max_length=8, blank=True, validators=[uai_validator])
    institution = models.ForeignKey(
        "directories.HigherEducationInstitution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("national directory entry"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    zip_code = models.CharField(_("zip code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="establishments/logos/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["-is_master", "label"]
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="establishment_code_unique_per_site"),
            models.UniqueConstraint(
                fields=["site", "uai"], condition=~Q(uai=""), name="establishment_uai_unique_per_site"
            ),
            models.UniqueConstraint(
                fields=["site"], condition=Q(is_master=True), name="establishment_one_master_per_site"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def owner(self) -> Owner:
        return Owner(self.pk, None, None)


class Structure(SiteOwnedModel):
    """A faculty, department or school inside an establishment."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.RESTRICT, related_name="structures", verbose_name=_("establishment")
    )
    code = models.CharField(_("short name"), max_length=30)
    label = models.CharField(_("name"), max_length=255)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "establishment", "code"], name="structure_code_unique_per_establishment"
            ),
        ]

    def __str__(self):
        return self.label


class HighSchool(SiteOwnedModel):
    """A high school whose pupils take part; it may have an agreement and may host."""

    uai = models.CharField(_("UAI"), max_length=8, validators=[uai_validator])
    directory_entry = models.ForeignKey(
        "directories.SchoolDirectoryEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("UAI directory entry"),
    )
    label = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    zip_code = models.CharField(_("zip code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    agreement_start = models.DateField(_("agreement start"), null=True, blank=True)
    agreement_end = models.DateField(_("agreement end"), null=True, blank=True)
    hosts_post_bac_trainings = models.BooleanField(_("hosts post-bac trainings"), default=False)
    accepts_individual_immersions = models.BooleanField(
        _("accepts individual immersions"),
        default=True,
        help_text=_("When off, its pupils can only take part through group registrations."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("high school")
        verbose_name_plural = _("high schools")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["site", "uai"], name="highschool_uai_unique_per_site"),
            models.CheckConstraint(
                condition=Q(agreement_end__isnull=True) | Q(agreement_start__isnull=False),
                name="highschool_agreement_end_needs_start",
            ),
            models.CheckConstraint(
                condition=Q(agreement_end__isnull=True)
                | Q(agreement_start__isnull=True)
                | Q(agreement_end__gte=models.F("agreement_start")),
                name="highschool_agreement_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.city})"

    @property
    def owner(self) -> Owner:
        return Owner(None, None, self.pk)

    def has_agreement(self, on=None):
        """True when an agreement is in force on the given day (today by default)."""
        if self.agreement_start is None:
            return False
        on = on or timezone.localdate()
        return self.agreement_start <= on and (self.agreement_end is None or on <= self.agreement_end)


class Campus(SiteOwnedModel):
    establishment = models.ForeignKey(
        Establishment, on_delete=models.RESTRICT, related_name="campuses", verbose_name=_("establishment")
    )
    label = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    zip_code = models.CharField(_("zip code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("campus")
        verbose_name_plural = _("campuses")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "establishment", "label"], name="campus_label_unique_per_establishment"
            ),
        ]

    def __str__(self):
        return self.label


class Building(SiteOwnedModel):
    campus = models.ForeignKey(Campus, on_delete=models.RESTRICT, related_name="buildings", verbose_name=_("campus"))
    label = models.CharField(_("name"), max_length=255)
    map_url = models.URLField(_("map link"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["site", "campus", "label"], name="building_label_unique_per_campus"),
        ]

    def __str__(self):
        return self.label
