"""Background work of the yearly cycle."""

from celery import shared_task

from apps.tenancy.scoping import for_site, platform_job


@shared_task
def run_purge(run_id):
    """Run a queued real purge (see ``services.execute_purge``); a finished one is left alone."""
    from .models import PurgeRun
    from .services import execute_purge

    with platform_job():
        run = PurgeRun.objects.select_related("site", "year").filter(pk=run_id, dry_run=False).first()
    if run is None or run.status != PurgeRun.Status.PENDING:
        return None
    with for_site(run.site):
        return execute_purge(run).status
