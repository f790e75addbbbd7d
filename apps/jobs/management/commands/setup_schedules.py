"""Install the schedules of the scheduled jobs (django-celery-beat). Safe to run at every deployment."""

from django.core.management.base import BaseCommand

from apps.jobs.schedules import JOBS, setup_schedules


class Command(BaseCommand):
    help = (
        "Create the periodic tasks of the scheduled jobs that do not exist yet, with their default schedule. "
        "Schedules edited by the operator in the admin are kept; nothing is duplicated."
    )

    def handle(self, *args, **options):
        created, updated = setup_schedules()
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(JOBS)} scheduled job(s): {created} created, {updated} updated, "
                f"{len(JOBS) - created - updated} unchanged."
            )
        )
