"""Every scheduled job, with its default schedule: what ``manage.py setup_schedules`` installs.

The operator then edits the schedules (or disables a job) in the admin, under "Periodic
tasks" (django-celery-beat); ``setup_schedules`` never overwrites an edited schedule.
Times are in the project's time zone (``TIME_ZONE``).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Job:
    name: str
    task: str
    minute: str
    hour: str
    day_of_week: str
    description: str

    @property
    def crontab(self):
        return {
            "minute": self.minute,
            "hour": self.hour,
            "day_of_week": self.day_of_week,
            "day_of_month": "*",
            "month_of_year": "*",
        }


JOBS = (
    Job(
        "registrant_reminders",
        "apps.jobs.tasks.registrant_reminders",
        "0",
        "*/2",
        "*",
        _("Reminds registrants of their slot, days before it (the site's setting)."),
    ),
    Job(
        "group_reminders",
        "apps.jobs.tasks.group_reminders",
        "5",
        "*/2",
        "*",
        _("Reminds the contacts of group registrations of their slot, days before it."),
    ),
    Job(
        "speaker_reminders",
        "apps.jobs.tasks.speaker_reminders",
        "10",
        "*/2",
        "*",
        _("Reminds speakers of their coming slots, with the number of registrants."),
    ),
    Job(
        "structure_weekly_digest",
        "apps.jobs.tasks.structure_weekly_digest",
        "0",
        "7",
        "1",
        _("Sends structure referents their slots of the coming week."),
    ),
    Job(
        "pending_validations_digest",
        "apps.jobs.tasks.pending_validations_digest",
        "30",
        "7",
        "1-5",
        _("Tells referents how many records wait for their validation."),
    ),
    Job(
        "document_expiry_warnings",
        "apps.jobs.tasks.document_expiry_warnings",
        "0",
        "8",
        "*",
        _("Warns people whose document is about to expire."),
    ),
    Job(
        "auto_cancel_expired_documents",
        "apps.jobs.tasks.auto_cancel_expired_documents",
        "15",
        "*",
        "*",
        _("Cancels coming registrations whose mandatory document has expired."),
    ),
    Job(
        "surveys_after_slot",
        "apps.jobs.tasks.surveys_after_slot",
        "0",
        "18",
        "*",
        _("Sends the site's survey to the people who attended a slot."),
    ),
    Job(
        "survey_end_of_year",
        "apps.jobs.tasks.survey_end_of_year",
        "0",
        "10",
        "*",
        _("Sends the end-of-year survey to the year's registrants."),
    ),
    Job(
        "waiting_list_offers",
        "apps.jobs.tasks.waiting_list_offers",
        "*/5",
        "*",
        "*",
        _("Expires waiting-list offers not claimed in time and offers the freed places."),
    ),
    Job(
        "delete_unactivated_accounts",
        "apps.jobs.tasks.delete_unactivated_accounts",
        "0",
        "3",
        "*",
        _("Deletes the accounts never activated."),
    ),
    Job(
        "flush_outbox",
        "apps.jobs.tasks.flush_outbox",
        "*/5",
        "*",
        "*",
        _("Sends the messages waiting in the outbox (retries, lost tasks)."),
    ),
    Job(
        "federation_metadata",
        "apps.jobs.tasks.federation_metadata",
        "30",
        "4",
        "*",
        _("Downloads the sites' RENATER and EduConnect metadata (the stored one is kept on failure)."),
    ),
)


def setup_schedules():
    """Create the missing periodic tasks; update the task path and description of the others,
    never their schedule or their enabled flag (the operator's). Returns (created, updated)."""
    from django.conf import settings
    from django.db import transaction
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = updated = 0
    with transaction.atomic():
        for job in JOBS:
            task = PeriodicTask.objects.select_for_update().filter(name=job.name).first()
            if task is None:
                schedule = CrontabSchedule.objects.filter(**job.crontab, timezone=settings.TIME_ZONE).first()
                if schedule is None:
                    schedule = CrontabSchedule.objects.create(**job.crontab, timezone=settings.TIME_ZONE)
                PeriodicTask.objects.create(
                    name=job.name, task=job.task, crontab=schedule, description=str(job.description)
                )
                created += 1
            elif (task.task, task.description) != (job.task, str(job.description)):
                task.task, task.description = job.task, str(job.description)
                task.save(update_fields=["task", "description"])
                updated += 1
    return created, updated
