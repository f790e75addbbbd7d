"""Reference lists of a site (levels, bachelor types, domains...), seeded from public data."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.tenancy.models import SiteOwnedModel


class ReferenceItem(SiteOwnedModel):
    label = models.CharField(_("label"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "label"]
        constraints = [
            models.UniqueConstraint(fields=["site", "label"], name="%(app_label)s_%(class)s_label_unique_per_site"),
        ]

    def __str__(self):
        return self.label


class HighSchoolLevel(ReferenceItem):
    is_post_bachelor = models.BooleanField(_("post-bac"), default=False)
    requires_speciality = models.BooleanField(_("requires specialities"), default=False)
    mefstat4_codes = models.CharField(
        _("MEFSTAT4 codes"),
        max_length=100,
        blank=True,
        help_text=_("Comma-separated national codes of this level, used to match EduConnect accounts."),
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("high-school level")
        verbose_name_plural = _("high-school levels")


class PostBachelorLevel(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("post-bac level")
        verbose_name_plural = _("post-bac levels")


class StudentLevel(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("student level")
        verbose_name_plural = _("student levels")


class BachelorType(ReferenceItem):
    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        TECHNOLOGICAL = "technological", _("Technological")
        PROFESSIONAL = "professional", _("Professional")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("baccalaureate type")
        verbose_name_plural = _("baccalaureate types")


class TechnologicalSeries(ReferenceItem):
    code = models.CharField(_("code"), max_length=20)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("technological series")
        verbose_name_plural = _("technological series")
        constraints = [
            *ReferenceItem.Meta.constraints,
            models.UniqueConstraint(fields=["site", "code"], name="series_code_unique_per_site"),
        ]


class GeneralSpeciality(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("general speciality")
        verbose_name_plural = _("general specialities")


class TrainingDomain(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("training domain")
        verbose_name_plural = _("training domains")


class TrainingSubdomain(ReferenceItem):
    domain = models.ForeignKey(
        TrainingDomain, on_delete=models.RESTRICT, related_name="subdomains", verbose_name=_("domain")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("training subdomain")
        verbose_name_plural = _("training subdomains")
        constraints = [
            models.UniqueConstraint(fields=["site", "domain", "label"], name="subdomain_label_unique_per_domain"),
        ]

    def __str__(self):
        return f"{self.label}"


class CourseType(ReferenceItem):
    code = models.CharField(_("code"), max_length=10)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("course type")
        verbose_name_plural = _("course types")
        constraints = [
            *ReferenceItem.Meta.constraints,
            models.UniqueConstraint(fields=["site", "code"], name="coursetype_code_unique_per_site"),
        ]

    def __str__(self):
        return f"{self.code} — {self.label}"


class CancellationReason(ReferenceItem):
    """Why a registration was cancelled, and who may pick this reason."""

    usable_by_registrants = models.BooleanField(_("usable by registrants"), default=True)
    usable_by_managers = models.BooleanField(_("usable by managers"), default=True)
    usable_by_system = models.BooleanField(_("usable by the system"), default=False)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("cancellation reason")
        verbose_name_plural = _("cancellation reasons")
        constraints = [
            *ReferenceItem.Meta.constraints,
            models.CheckConstraint(
                condition=Q(usable_by_registrants=True) | Q(usable_by_managers=True) | Q(usable_by_system=True),
                name="cancellationreason_usable_by_someone",
            ),
        ]


class PublicType(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("public type")
        verbose_name_plural = _("public types")


class EventType(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("event type")
        verbose_name_plural = _("event types")
