"""The yearly cycle of a site: the statistics kept after the purge, and the purge's own audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.storage import private_storage
from apps.tenancy.models import SiteOwnedModel


class AnnualStatistics(SiteOwnedModel):
    """The figures of one university year of a site, kept after its purge.

    ``figures`` is a JSON document (see :func:`apps.yearly.services.compute_figures`)::

        {
          "totals": {"registrations": int, "active": int, "cancelled": int, "present": int,
                     "remote": int, "absent": int, "not_entered": int,
                     "group_registrations": int, "group_pupils": int, "slots": int},
          "by_establishment" | "by_structure" | "by_domain" | "by_high_school" | "by_level"
          | "by_population": [{"label": str, "registrations": int, "active": int, "cancelled": int,
                               "present": int, "remote": int, "absent": int, "not_entered": int}, ...],
          "groups_by_high_school": [{"label": str, "group_registrations": int, "group_pupils": int}, ...]
        }

    Lists are sorted by label. Recomputed on demand while the year's data exist; frozen
    (``frozen_at`` set) by the purge, after which it is never recomputed.
    """

    year = models.ForeignKey(
        "academic_calendar.UniversityYear",
        on_delete=models.CASCADE,
        related_name="annual_statistics",
        verbose_name=_("year"),
    )
    figures = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed"))
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual statistics")
        verbose_name_plural = _("annual statistics")
        ordering = ["-year__start_date"]
        constraints = [models.UniqueConstraint(fields=["site", "year"], name="annualstatistics_one_per_year")]

    def __str__(self):
        return str(self.year)


class PurgeRun(SiteOwnedModel):
    """One dry-run or real purge of a year of a site: its request, progress and outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    year = models.ForeignKey(
        "academic_calendar.UniversityYear", on_delete=models.PROTECT, related_name="purge_runs", verbose_name=_("year")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_by_name = models.CharField(_("requested by (name)"), max_length=300, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=40, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    samples = models.JSONField(_("samples"), default=dict, blank=True)
    archive = models.FileField(
        _("archive"), upload_to="yearly-archives/", storage=private_storage, max_length=255, blank=True
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("purge run")
        verbose_name_plural = _("purge runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "year"],
                condition=Q(dry_run=False, status__in=["pending", "running"]),
                name="purgerun_one_live_purge_per_year",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="purgerun_progress_percent"),
        ]

    def __str__(self):
        return f"{self.year} — {self.get_status_display()}"

    @property
    def is_live(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
