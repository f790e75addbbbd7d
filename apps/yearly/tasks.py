"""Background work of the yearly cycle: the real purge, run by a worker (or right away without a broker)."""

from celery import shared_task
from django.db import transaction

from apps.tenancy.scoping import for_site, platform_job

from . import services
from .models import PurgeRun


def queue_purge(site, year, *, by=None):
    """What the page calls: the purge requested (:func:`.services.request_purge`, which may refuse
    it), then run by :func:`run_purge` once the request has committed."""
    run = services.request_purge(site, year, by=by)
    transaction.on_commit(lambda: run_purge.delay(run.pk))
    return run


@shared_task
def run_purge(run_id):
    """Run a queued real purge (see ``services.execute_purge``); a finished one is left alone."""
    with platform_job():
        run = PurgeRun.objects.select_related("site", "year").filter(pk=run_id, dry_run=False).first()
    if run is None or run.status != PurgeRun.Status.PENDING:
        return None
    with for_site(run.site):
        return services.execute_purge(run).status
