"""The scheduled jobs as Celery tasks (scheduled by django-celery-beat, see :mod:`.schedules`).

Each loops over the active sites in their scope and logs a ``JobRun`` per site.
"""

from celery import shared_task

from . import services
from .runner import run_per_site, run_platform


@shared_task
def registrant_reminders():
    return len(run_per_site("registrant_reminders", services.registrant_reminders))


@shared_task
def group_reminders():
    return len(run_per_site("group_reminders", services.group_reminders))


@shared_task
def speaker_reminders():
    return len(run_per_site("speaker_reminders", services.speaker_reminders))


@shared_task
def structure_weekly_digest():
    return len(run_per_site("structure_weekly_digest", services.structure_weekly_digest))


@shared_task
def pending_validations_digest():
    return len(run_per_site("pending_validations_digest", services.pending_validations_digest))


@shared_task
def document_expiry_warnings():
    return len(run_per_site("document_expiry_warnings", services.document_expiry_warnings))


@shared_task
def auto_cancel_expired_documents():
    return len(run_per_site("auto_cancel_expired_documents", services.auto_cancel_expired_documents))


@shared_task
def surveys_after_slot():
    return len(run_per_site("surveys_after_slot", services.surveys_after_slot))


@shared_task
def survey_end_of_year():
    return len(run_per_site("survey_end_of_year", services.survey_end_of_year))


@shared_task
def waiting_list_offers():
    return len(run_per_site("waiting_list_offers", services.waiting_list_offers))


@shared_task
def delete_unactivated_accounts():
    return len(run_platform("delete_unactivated_accounts", services.unactivated_accounts))


@shared_task
def flush_outbox():
    return len(run_platform("flush_outbox", services.outbox))


@shared_task
def federation_metadata():
    return len(run_platform("federation_metadata", services.federation_metadata))
