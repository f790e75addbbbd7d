"""The run log of the scheduled jobs: one row per job run and site, for the operator."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a scheduled job, for one site (or for the platform when ``site`` is empty).

    Global: the operator watches every site's jobs in one place.
    """

    tenancy = "global"

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.CharField(_("job"), max_length=80)
    site = models.ForeignKey(
        "tenancy.Site", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["job", "started_at"], name="jobrun_job_started_idx")]

    def __str__(self):
        return f"{self.job} ({self.get_status_display()})"
