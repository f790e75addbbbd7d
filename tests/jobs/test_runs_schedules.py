"""The run log, the schedules (setup_schedules, the operator's admin), the platform jobs."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from apps.accounts.models import User
from apps.jobs import services, tasks
from apps.jobs.models import JobRun
from apps.jobs.schedules import JOBS
from apps.notifications.models import OutgoingMessage
from apps.tenancy.scoping import platform_job
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_each_run_is_logged_per_site_with_its_counts(world, other_world):
    result = tasks.registrant_reminders.delay()
    assert result.successful() and result.get() == 2
    with platform_job():
        runs = {run.site.slug: run for run in JobRun.objects.select_related("site")}
        assert set(runs) == {"alpha", "beta"}
        for run in runs.values():
            assert run.job == "registrant_reminders" and run.status == JobRun.Status.SUCCEEDED
            assert run.finished_at >= run.started_at and run.error == ""
            assert run.counts == {"due": 0, "sent": 0}  # slots in 7 days, reminders 2 days before


def test_a_failing_site_is_logged_failed_and_the_others_still_run(world, other_world, monkeypatch):
    original = services.speaker_reminders

    def boom(site, now=None):
        if site.slug == "alpha":
            raise RuntimeError("the database is on fire")
        return original(site, now=timezone.now() + dt.timedelta(days=6))

    monkeypatch.setattr(services, "speaker_reminders", boom)
    result = tasks.speaker_reminders.apply()
    assert result.failed() and "alpha" in str(result.result)
    with platform_job():
        failed = JobRun.objects.get(site=world.site)
        assert failed.status == JobRun.Status.FAILED and "the database is on fire" in failed.error
        assert "Traceback" in failed.error and failed.finished_at is not None
        succeeded = JobRun.objects.get(site=other_world.site)
        assert succeeded.status == JobRun.Status.SUCCEEDED and succeeded.counts == {"due": 1, "sent": 1}
        assert OutgoingMessage.objects.filter(key="speaker_reminder", site=other_world.site).count() == 1


def test_inactive_sites_are_skipped(world, other_world):
    other_world.site.is_active = False
    other_world.site.save()
    tasks.pending_validations_digest.delay()
    with platform_job():
        assert list(JobRun.objects.values_list("site__slug", flat=True)) == ["alpha"]


def test_unactivated_accounts_are_deleted_by_their_job(db):
    old = make_user(is_active=False)
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - dt.timedelta(days=365))
    recent = make_user(is_active=False)
    tasks.delete_unactivated_accounts.delay()
    assert not User.objects.filter(pk=old.pk).exists() and User.objects.filter(pk=recent.pk).exists()
    run = JobRun.objects.get(job="delete_unactivated_accounts")
    assert run.site is None and run.counts == {"deleted": 1}


def test_setup_schedules_creates_every_job_once_and_keeps_the_operators_edits(db):
    call_command("setup_schedules")
    assert PeriodicTask.objects.count() == len(JOBS)
    for job in JOBS:
        task = PeriodicTask.objects.get(name=job.name)
        assert task.task == job.task and task.enabled and task.crontab.hour == job.hour
        assert import_string(job.task).name == job.task  # the task exists under that name
    schedules = CrontabSchedule.objects.count()
    # The operator moves a job and disables another.
    edited = CrontabSchedule.objects.create(minute="45", hour="6", timezone=settings.TIME_ZONE)
    PeriodicTask.objects.filter(name="registrant_reminders").update(crontab=edited)
    PeriodicTask.objects.filter(name="survey_end_of_year").update(enabled=False)
    call_command("setup_schedules")
    call_command("setup_schedules")
    assert PeriodicTask.objects.count() == len(JOBS) and CrontabSchedule.objects.count() == schedules + 1
    assert PeriodicTask.objects.get(name="registrant_reminders").crontab == edited
    assert not PeriodicTask.objects.get(name="survey_end_of_year").enabled
    # A deleted job comes back with its default schedule.
    PeriodicTask.objects.filter(name="flush_outbox").delete()
    call_command("setup_schedules")
    assert PeriodicTask.objects.get(name="flush_outbox").crontab.minute == "*/5"


ADMIN_PAGES = [
    ("admin:django_celery_beat_periodictask_changelist", ()),
    ("admin:django_celery_beat_crontabschedule_changelist", ()),
    ("admin:django_celery_beat_periodictask_add", ()),
    ("admin:jobs_jobrun_changelist", ()),
]


@pytest.mark.parametrize("name,args", ADMIN_PAGES)
def test_the_operator_edits_schedules_and_reads_the_run_log_but_master_referents_do_not(client, world, name, args):
    client.force_login(world.operator)
    assert client.get(reverse(name, args=args)).status_code == 200
    client.force_login(world.master_referent)
    assert client.get(reverse(name, args=args)).status_code == 403


def test_the_operator_changes_a_schedule_in_the_admin(client, world):
    call_command("setup_schedules")
    client.force_login(world.operator)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:django_celery_beat_periodictask_changelist") in index
    task = PeriodicTask.objects.get(name="registrant_reminders")
    page = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]))
    assert page.status_code == 200
    client.force_login(world.master_referent)
    assert (
        reverse("admin:django_celery_beat_periodictask_changelist")
        not in client.get(reverse("admin:index")).content.decode()
    )


def test_the_run_log_is_read_only_even_for_the_operator(client, world):
    tasks.flush_outbox.delay()
    run = JobRun.objects.get()
    client.force_login(world.operator)
    assert client.get(reverse("admin:jobs_jobrun_change", args=[run.pk])).status_code == 200
    assert client.get(reverse("admin:jobs_jobrun_add")).status_code == 403
    assert client.post(reverse("admin:jobs_jobrun_delete", args=[run.pk]), {"post": "yes"}).status_code == 403
    assert JobRun.objects.filter(pk=run.pk).exists()


def test_the_federation_metadata_job_refreshes_and_records_failures(world, monkeypatch):
    from apps.federation import refresh as command
    from apps.federation.models import FederationSettings
    from tests.federation.test_chooser import RENATER_IDP, idp_metadata

    with platform_job():
        FederationSettings.objects.filter(site=world.site).update(
            shibboleth_metadata_url="https://metadata.example.org/renater.xml"
        )
    monkeypatch.setattr(command, "fetch", lambda url: idp_metadata(RENATER_IDP))
    assert tasks.federation_metadata() == 1
    with platform_job():
        assert RENATER_IDP in FederationSettings.objects.get(site=world.site).shibboleth_metadata_xml
        assert JobRun.objects.get(job="federation_metadata").status == JobRun.Status.SUCCEEDED
    monkeypatch.setattr(command, "fetch", lambda url: "<html>oops</html>")
    with pytest.raises(Exception, match="failed"):
        tasks.federation_metadata()
    with platform_job():
        failed = JobRun.objects.filter(job="federation_metadata").order_by("-pk").first()
        assert failed.status == JobRun.Status.FAILED and "failed" in failed.error
        assert RENATER_IDP in FederationSettings.objects.get(site=world.site).shibboleth_metadata_xml  # kept
