"""National directories: global, shared by every site, loaded from public CSV files."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.validators import uai_validator


class HigherEducationInstitution(models.Model):
    tenancy = "global"

    uai = models.CharField(_("UAI"), max_length=8, unique=True, validators=[uai_validator])
    label = models.CharField(_("label"), max_length=255)
    city = models.CharField(_("city"), max_length=120, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    zip_code = models.CharField(_("zip code"), max_length=10, blank=True)
    country = models.CharField(_("country"), max_length=80, blank=True, default="France")

    class Meta:
        verbose_name = _("higher-education institution")
        verbose_name_plural = _("higher-education institutions")
        ordering = ["label"]

    def __str__(self):
        return f"{self.label} ({self.city})" if self.city else self.label


class SchoolDirectoryEntry(models.Model):
    """One school of the national UAI directory (RAMSESE)."""

    tenancy = "global"

    uai = models.CharField(_("UAI"), max_length=8, unique=True, validators=[uai_validator])
    label = models.CharField(_("label"), max_length=255)
    city = models.CharField(_("city"), max_length=120, blank=True)
    academy = models.CharField(_("academy"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("school (UAI directory)")
        verbose_name_plural = _("schools (UAI directory)")
        ordering = ["label"]

    def __str__(self):
        return f"{self.label} — {self.city} ({self.uai})"
