"""The master referent's decisions on a pair in the action log: a merge names both accounts and
what moved (the removed account's entries follow it), "not a duplicate" names both; refused
decisions leave no row."""

import pytest

from apps.audit.models import ActionLog
from apps.audit.services import log_action, person_label
from apps.duplicates.services import ReviewRefused, mark_not_duplicate, merge_accounts, merge_candidate
from apps.tenancy.scoping import for_site

from .helpers import pair, person

pytestmark = pytest.mark.django_db


def log():
    return ActionLog.objects.with_scopes_disabled().order_by("pk")


def test_a_merge_names_both_accounts_and_what_moved(world, twins):
    w = world
    kept, removed, candidate = twins
    with for_site(w.site):
        about_removed = log_action("records.record.validated", site=w.site, actor=w.master_referent, subject=removed)
        merge_candidate(candidate, kept=kept, by=w.master_referent)
    merged = log().get(action="duplicates.pair.merged")
    assert (merged.actor_id, merged.subject_id, merged.object_id) == (w.master_referent.pk, kept.pk, str(candidate.pk))
    assert merged.object_label == f"{person_label(kept)} ← {person_label(removed)}"
    assert merged.data["kept"]["email"] == kept.email and merged.data["removed"]["email"] == removed.email
    assert merged.data["moved"]["records.VisitorRecord"] == 1 and merged.data["removed_account_deleted"] is True
    about_removed.refresh_from_db()
    assert about_removed.subject_id == kept.pk  # the removed account's history follows it


def test_not_a_duplicate_names_both_accounts(world, twins):
    w = world
    first, second, candidate = twins
    with for_site(w.site):
        mark_not_duplicate(candidate, by=w.master_referent)
    row = log().get()
    assert (row.action, row.actor_id, row.object_id) == (
        "duplicates.pair.dismissed",
        w.master_referent.pk,
        str(candidate.pk),
    )
    assert {account["id"] for account in row.data["accounts"]} == {first.pk, second.pk}


def test_refused_decisions_leave_no_row(world, twins):
    w = world
    kept, removed, candidate = twins
    third = person(w.site, "Paul", "Martin")
    refusals = [
        lambda: merge_accounts(w.site, kept, kept, w.master_referent),
        lambda: merge_accounts(w.site, kept, removed, removed),
        lambda: merge_candidate(candidate, kept=third, by=w.master_referent),
    ]
    with for_site(w.site):
        for refuse in refusals:
            with pytest.raises(ReviewRefused):
                refuse()
        mark_not_duplicate(candidate, by=w.master_referent)
        with pytest.raises(ReviewRefused):
            mark_not_duplicate(pair(w.site, kept, removed), by=w.master_referent)  # already reviewed
    assert [row.action for row in log()] == ["duplicates.pair.dismissed"]
