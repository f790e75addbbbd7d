"""Running a job and logging it: one ``JobRun`` per job and site, succeeded or failed.

``run_per_site(name, function)`` calls ``function(site, now=now)`` for every active
site inside that site's scope; a failure on one site is logged (status failed, traceback)
and does not stop the others, then :class:`JobFailed` is raised so that the worker's log
shows it too. ``run_platform(name, function)`` does the same once, for platform-wide work.
"""

import functools
import logging
import traceback

from django.utils import timezone

from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site, platform_job

from .models import JobRun

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    pass


def record_run(name, call, *, site=None):
    """Run ``call()`` and log it. Returns the ``JobRun`` (never raises)."""
    run = JobRun.objects.create(job=name, site=site, started_at=timezone.now())
    try:
        counts = call() or {}
    except Exception as error:  # logged for the operator, reported by the caller
        logger.exception("job %s failed (site %s)", name, getattr(site, "slug", "-"))
        run.status, run.error = JobRun.Status.FAILED, f"{type(error).__name__}: {error}\n\n{traceback.format_exc()}"
    else:
        run.status, run.counts = JobRun.Status.SUCCEEDED, {key: int(value) for key, value in counts.items()}
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "counts", "error", "finished_at"])
    return run


def _raise_if_failed(name, runs):
    failed = [run for run in runs if run.status == JobRun.Status.FAILED]
    if failed:
        sites = ", ".join(run.site.slug if run.site_id else "-" for run in failed)
        raise JobFailed(f"{name} failed on: {sites}")
    return runs


def run_per_site(name, function, now=None, sites=None):
    """Run a site job on every active site (or on ``sites``), each in its own scope."""
    if sites is None:
        sites = list(Site.objects.filter(is_active=True).order_by("pk"))
    runs = []
    for site in sites:
        with for_site(site):
            runs.append(record_run(name, functools.partial(function, site, now=now), site=site))
    return _raise_if_failed(name, runs)


def run_platform(name, function, now=None):
    with platform_job():
        return _raise_if_failed(name, [record_run(name, lambda: function(now=now))])
