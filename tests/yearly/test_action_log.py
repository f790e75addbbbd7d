"""The yearly cycle in the action log: figures computed and frozen, dry run, purge requested and
finished (with its counts), archive downloaded; the log is kept through the purge, the purged
registrants' names in it pseudonymised, staff names kept."""

import pytest
from django.urls import reverse

from apps.audit.models import ActionLog
from apps.audit.services import log_action, pseudonym
from apps.tenancy.scoping import for_site
from apps.yearly import services, tasks

pytestmark = pytest.mark.django_db

ACTION = "records.record.validated"


def log():
    return ActionLog.objects.with_scopes_disabled().order_by("pk")


def test_the_yearly_cycle_leaves_its_rows_and_pseudonymises_the_purged(
    client, past, django_capture_on_commit_callbacks
):
    w, p = past.world, past
    master, gone, kept = w.master_referent, p.pupils[0], w.pupil
    with for_site(w.site):
        own = log_action(
            ACTION, site=w.site, actor=gone, subject=gone, label=f"Record of {gone.first_name} {gone.last_name}"
        )
        about = log_action(ACTION, site=w.site, actor=master, subject=gone, data={"x": 1})
        staff = log_action(ACTION, site=w.site, actor=master, obj=w.course)
        untouched = log_action(ACTION, site=w.site, actor=master, subject=kept, data={"y": 2})
    client.force_login(master)

    def new_rows(act):
        seen = log().count()
        act()
        return [(r.action, r.actor_id) for r in log()[seen:]]

    refresh = reverse("yearly:refresh", args=[p.year.pk])
    assert new_rows(lambda: client.post(refresh)) == [("yearly.statistics.computed", master.pk)]
    with for_site(w.site):
        assert new_rows(lambda: services.dry_run(w.site, p.year, by=master)) == [("yearly.purge.simulated", master.pk)]
        simulated = log().last()
        seen = log().count()
        with django_capture_on_commit_callbacks(execute=True):
            tasks.queue_purge(w.site, p.year, by=master)  # the purge runs after the commit
    assert [(r.action, r.actor_id) for r in log()[seen:]] == [
        ("yearly.purge.requested", master.pk),
        ("yearly.statistics.computed", None),
        ("yearly.statistics.frozen", None),
        ("yearly.purge.finished", None),
    ]
    finished = log().last()
    assert finished.data["counts"] == simulated.data["counts"] and finished.data["counts"]["accounts"] == 5
    assert finished.data["log_entries_pseudonymised"] >= 2

    for entry in (own, about, staff, untouched):
        entry.refresh_from_db()  # the purge deleted no entry
    alias = pseudonym(gone.pk)
    assert (own.actor_label, own.subject_label, own.object_label) == (alias, alias, f"Record of {alias}")
    assert (about.actor_id, about.subject_id, about.subject_label, about.data) == (master.pk, None, alias, {})
    assert (staff.pseudonymised, untouched.pseudonymised, untouched.subject_id) == (False, False, kept.pk)

    archive = reverse("yearly:archive", args=[finished.object_id])
    assert new_rows(lambda: client.get(archive)) == [("yearly.archive.downloaded", master.pk)]


def test_a_refused_purge_leaves_no_row(in_site):
    with pytest.raises(services.PurgeRefused):
        services.request_purge(in_site.site, in_site.year, by=in_site.master_referent)
    assert not log().exists()
