"""The site's charter, and who signed it for which host establishment or high school."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import SiteOwnedModel


class Charter(SiteOwnedModel):
    """A version of the site's charter. The newest published one is the one to sign."""

    version = models.CharField(_("version"), max_length=20)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")
        ordering = ["-published_at"]
        constraints = [models.UniqueConstraint(fields=["site", "version"], name="charter_version_unique_per_site")]

    def __str__(self):
        return f"{_('Charter')} {self.version}"


class CharterSignature(SiteOwnedModel):
    """A host establishment or a host high school signed a version of the charter."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("charter"))
    establishment = models.ForeignKey(
        "organisations.Establishment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="charter_signatures",
        verbose_name=_("establishment"),
    )
    high_school = models.ForeignKey(
        "organisations.HighSchool",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="charter_signatures",
        verbose_name=_("high school"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("signed by")
    )
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)

    class Meta:
        verbose_name = _("charter signature")
        verbose_name_plural = _("charter signatures")
        constraints = [
            models.CheckConstraint(
                condition=Q(establishment__isnull=False, high_school__isnull=True)
                | Q(establishment__isnull=True, high_school__isnull=False),
                name="chartersignature_one_party",
            ),
            models.UniqueConstraint(
                fields=["site", "charter", "establishment"],
                condition=Q(establishment__isnull=False),
                name="chartersignature_once_per_establishment",
            ),
            models.UniqueConstraint(
                fields=["site", "charter", "high_school"],
                condition=Q(high_school__isnull=False),
                name="chartersignature_once_per_high_school",
            ),
        ]

    def __str__(self):
        return f"{self.charter} — {self.establishment or self.high_school}"
