"""The yearly purge: dry-run == real, what goes and what stays, files, archive, idempotence, isolation."""

import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from apps.academic_calendar.models import Period, UniversityYear
from apps.accounts.models import Role, RoleAssignment, User
from apps.attestations.models import Attestation
from apps.catalogue.models import Course, Event, Slot, Training
from apps.notifications.models import OutgoingMessage
from apps.organisations.models import Establishment, Structure
from apps.records.models import PupilRecord, StudentRecord, VisitorRecord
from apps.registrations.models import CalendarFeed, CourseAlert, GroupRegistration, Registration, WaitingListEntry
from apps.tenancy.scoping import for_site, platform_job
from apps.yearly import selectors, services, tasks
from apps.yearly.models import AnnualStatistics, PurgeRun
from tests.factories import make_slot

COUNTED = {
    "waiting_list_entries": WaitingListEntry,
    "course_alerts": CourseAlert,
    "registrations": Registration,
    "group_registrations": GroupRegistration,
    "slots": Slot,
    "attestations": Attestation,
    "pupil_records": PupilRecord,
    "student_records": StudentRecord,
    "visitor_records": VisitorRecord,
    "registrant_roles": RoleAssignment,
    "calendar_feeds": CalendarFeed,
    "outgoing_messages": OutgoingMessage,
}
KEPT = (Training, Course, Event, Structure, Establishment, UniversityYear, Period, AnnualStatistics, PurgeRun)


def table_counts(site):
    with platform_job():
        counts = {kind: model.objects.filter(site=site).count() for kind, model in COUNTED.items()}
        counts.update({model.__name__: model.objects.filter(site=site).count() for model in KEPT})
        counts["users"] = User.objects.count()
    return counts


def purge(site, year, by=None, capture=None):
    with for_site(site), capture(execute=True):
        run = tasks.queue_purge(site, year, by=by)
    with platform_job():
        return PurgeRun.objects.get(pk=run.pk)


@pytest.fixture
def purged(past, django_capture_on_commit_callbacks):
    w = past.world
    with for_site(w.site):
        past.dry = services.dry_run(w.site, past.year, by=w.master_referent)
        past.figures = selectors.compute_figures(w.site, past.year)
    past.before = table_counts(w.site)
    past.run = purge(w.site, past.year, by=w.master_referent, capture=django_capture_on_commit_callbacks)
    past.after = table_counts(w.site)
    return past


def test_the_purge_dry_run_matches_the_real_purge(purged):
    assert purged.run.status == PurgeRun.Status.DONE, purged.run.error
    assert purged.run.counts == purged.dry.counts
    # Every kind has something to delete in this dataset, so the equality means something.
    assert all(purged.dry.counts[kind] > 0 for kind in selectors.PURGED_KINDS), purged.dry.counts
    for kind in COUNTED:
        assert purged.before[kind] - purged.after[kind] == purged.run.counts[kind], kind
    assert purged.before["users"] - purged.after["users"] == purged.run.counts["accounts"]
    # The dry run deleted nothing and shows examples.
    assert purged.dry.samples["registrations"] and purged.dry.dry_run and not purged.dry.archive


def test_exact_counts_of_the_realistic_dataset(purged):
    counts = purged.run.counts
    assert counts["registrations"] == 6 and counts["group_registrations"] == 2 and counts["slots"] == 3
    # Purged registrants: the three new pupils, the world's student and visitor.
    assert counts["pupil_records"] == 3 and counts["student_records"] == 1 and counts["visitor_records"] == 1
    assert counts["registrant_roles"] == 5 and counts["accounts"] == 5
    assert counts["outgoing_messages"] == 2 and counts["course_alerts"] == 1 and counts["attestations"] == 1


def test_what_is_kept_and_what_is_deleted(purged):
    w, p = purged.world, purged
    with platform_job():
        LogEntry.objects.create(
            user=w.operator, content_type=ContentType.objects.get_for_model(Course), object_id=str(w.course.pk),
            object_repr="x", action_flag=ADDITION,
        )  # fmt: skip
    for model in KEPT[:-2]:
        assert p.after[model.__name__] == p.before[model.__name__], model
    assert p.after["AnnualStatistics"] == 1 and p.after["PurgeRun"] == 2
    with for_site(w.site):
        # Deleted
        assert not Registration.objects.filter(slot__period__year=p.year).exists()
        assert not Slot.objects.filter(period__year=p.year).exists()
        assert not User.objects.filter(pk__in=[u.pk for u in p.pupils] + [w.student.pk, w.visitor.pk]).exists()
        # Kept: this year's slots and registrations, people registered this year, late sign-ups, staff
        assert Registration.objects.filter(pk__in=[w.registration.pk, w.other_registration.pk]).count() == 2
        assert Slot.objects.filter(pk=w.slot.pk).exists()
        assert PupilRecord.objects.filter(user__in=[w.pupil, w.other_pupil, p.late_pupil]).count() == 3
        assert Attestation.objects.filter(pk=p.kept_attestation.pk).exists()
        assert CourseAlert.objects.filter(pk=p.new_alert.pk).exists()
        staff = RoleAssignment.objects.exclude(role__in=[Role.PUPIL, Role.STUDENT, Role.VISITOR])
        assert staff.filter(user=w.speaker).exists() and staff.filter(user=w.master_referent).exists()
        assert w.course.slots.filter(period=w.period).exists()
    with platform_job():
        assert set(OutgoingMessage.objects.filter(site=w.site).values_list("pk", flat=True)) == {
            p.pending_message.pk,
            p.new_message.pk,
        }
        assert LogEntry.objects.count() == 1  # the admin log is never touched


def test_courses_trainings_and_structures_carry_over_to_the_next_year(purged):
    w = purged.world
    with for_site(w.site):
        # The current year's period gets new slots of the same courses.
        slot = make_slot(w, w.course, days=30)
        assert slot.course.training.structure == w.structure
        assert Course.objects.filter(pk__in=[w.course.pk, w.other_course.pk, w.bts_course.pk]).count() == 3
        assert Event.objects.filter(pk=w.event.pk, published=True).exists()


def test_files_are_removed_from_storage(past, django_capture_on_commit_callbacks, private_media):
    w = past.world
    gone = [Path(private_media) / past.group.class_list.name]
    with platform_job():
        gone.append(Path(Attestation.objects.get(pk=past.attestation.pk).file.path))
        kept = Path(Attestation.objects.get(pk=past.kept_attestation.pk).file.path)
    assert all(path.exists() for path in gone) and kept.exists()
    run = purge(w.site, past.year, capture=django_capture_on_commit_callbacks)
    assert run.status == PurgeRun.Status.DONE, run.error
    assert not any(path.exists() for path in gone)
    assert kept.exists()


def test_the_archive_holds_the_csv_files_with_a_bom(purged, client):
    w = purged.world
    client.force_login(w.master_referent)
    response = client.get(f"/back-office/year-end/runs/{purged.run.pk}/archive/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    assert names == {
        "slots.csv",
        "registrations.csv",
        "group_registrations.csv",
        "pupil_records.csv",
        "student_records.csv",
        "visitor_records.csv",
    }
    for name in names:
        assert archive.read(name).startswith(b"\xef\xbb\xbf"), name
    registrations = archive.read("registrations.csv").decode("utf-8-sig").splitlines()
    assert len(registrations) == 1 + 6
    assert any(purged.pupils[0].email in line for line in registrations)
    assert len(archive.read("slots.csv").decode("utf-8-sig").splitlines()) == 1 + 3
    groups = archive.read("group_registrations.csv").decode("utf-8-sig")
    assert "prof@example.org" in groups and "Lycée Kléber" in groups
    assert len(archive.read("pupil_records.csv").decode("utf-8-sig").splitlines()) == 1 + 3


def test_a_second_purge_deletes_nothing_more(purged, django_capture_on_commit_callbacks):
    w = purged.world
    frozen = AnnualStatistics.objects.with_scopes_disabled().get(site=w.site, year=purged.year)
    again = purge(w.site, purged.year, capture=django_capture_on_commit_callbacks)
    assert again.status == PurgeRun.Status.DONE
    assert set(again.counts.values()) == {0}
    after = table_counts(w.site)
    assert {k: v for k, v in after.items() if k != "PurgeRun"} == {
        k: v for k, v in purged.after.items() if k != "PurgeRun"
    }
    stats = AnnualStatistics.objects.with_scopes_disabled().get(site=w.site, year=purged.year)
    assert stats.figures == frozen.figures == purged.figures and stats.frozen_at == frozen.frozen_at


def test_another_site_is_untouched(past, other_past, django_capture_on_commit_callbacks):
    other = other_past.world
    before = table_counts(other.site)
    run = purge(past.world.site, past.year, capture=django_capture_on_commit_callbacks)
    assert run.status == PurgeRun.Status.DONE, run.error
    assert table_counts(other.site) == {**before, "users": before["users"] - run.counts["accounts"]}
    with platform_job():
        # The pupil of both sites lost their records here but keeps their account and the other site's role.
        assert User.objects.filter(pk=past.multi_site_pupil.pk).exists()
        assert not PupilRecord.objects.filter(site=past.world.site, user=past.multi_site_pupil).exists()
        assert RoleAssignment.objects.filter(site=other.site, user=past.multi_site_pupil).exists()
    assert run.counts["accounts"] == 4


def test_progress_is_recorded(purged):
    run = purged.run
    assert run.progress == 100 and run.started_at and run.finished_at and run.finished_at >= run.started_at
    assert run.requested_by == purged.world.master_referent and not run.error and run.archive


def test_a_failure_is_recorded_and_the_purge_can_be_run_again(past, django_capture_on_commit_callbacks, monkeypatch):
    w = past.world

    def broken(plan, kind):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_delete_kind", broken)
    run = purge(w.site, past.year, capture=django_capture_on_commit_callbacks)
    assert run.status == PurgeRun.Status.FAILED and run.error == "disk full" and run.finished_at
    assert 0 < run.progress < 100
    monkeypatch.undo()
    again = purge(w.site, past.year, capture=django_capture_on_commit_callbacks)
    assert again.status == PurgeRun.Status.DONE and again.counts["registrations"] == 6


def test_annual_statistics_equal_the_figures_before_the_purge(purged):
    stats = AnnualStatistics.objects.with_scopes_disabled().get(site=purged.world.site, year=purged.year)
    assert stats.frozen_at is not None
    assert stats.figures == purged.figures
    totals = stats.figures["totals"]
    assert (totals["registrations"], totals["cancelled"], totals["present"], totals["remote"], totals["absent"]) == (
        6, 1, 2, 2, 1,
    )  # fmt: skip
    assert (totals["group_registrations"], totals["group_pupils"], totals["slots"]) == (1, 24, 3)
    population = {row["label"]: row["registrations"] for row in stats.figures["by_population"]}
    assert population == {"pupil": 4, "student": 1, "visitor": 1}
    levels = {row["label"]: row["registrations"] for row in stats.figures["by_level"]}
    assert levels["Terminale"] == 3
    domains = {row["label"]: row["registrations"] for row in stats.figures["by_domain"]}
    assert domains["Sciences & Technologies"] == 3
    # Frozen figures are not recomputed from the (now empty) year.
    with for_site(purged.world.site):
        assert services.refresh_statistics(purged.world.site, purged.year).figures == purged.figures


def test_a_year_not_yet_due_cannot_be_purged(in_site):
    with pytest.raises(services.PurgeRefused):
        services.request_purge(in_site.site, in_site.year)
    assert not PurgeRun.objects.filter(site=in_site.site, dry_run=False).exists()


def test_the_command_lists_then_purges(past, capsys):
    site = past.world.site
    call_command("purge_year", "--site", site.slug, "--year", past.year.label, "--dry-run")
    assert "registrations: 6" in capsys.readouterr().out
    with platform_job():
        assert Registration.objects.filter(site=site, slot__period__year=past.year).count() == 6
    call_command("purge_year", "--site", site.slug, "--year", past.year.label)
    assert "registrations: 6" in capsys.readouterr().out
    with platform_job():
        assert not Registration.objects.filter(site=site, slot__period__year=past.year).exists()
        assert PurgeRun.objects.filter(site=site, dry_run=False, status="done").count() == 1
