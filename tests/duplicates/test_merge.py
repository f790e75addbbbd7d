"""Merging two accounts of a site: everything moves to the kept account, in one transaction."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F

from apps.accounts.models import Role, RoleAssignment
from apps.catalogue.models import Slot
from apps.duplicates.models import DuplicateCandidate
from apps.duplicates.services import ReviewRefused, merge_accounts, merge_candidate
from apps.records.models import PupilRecord, StudentRecord, VisitorRecord
from apps.registrations.models import Registration, Status
from apps.tenancy.scoping import for_site, platform_job
from tests.factories import grant, make_slot

from .helpers import document, pair, person

User = get_user_model()


def register(w, user, slot):
    """An active registration, counted on the slot the way the registration engine does."""
    with for_site(w.site):
        Slot.objects.filter(pk=slot.pk).update(individual_places_taken=F("individual_places_taken") + 1)
        return Registration.objects.create(site=w.site, slot=slot, person=user)


def taken(slot):
    with platform_job():
        return Slot.objects.get(pk=slot.pk).individual_places_taken


def exists(user):
    return User.objects.filter(pk=user.pk).exists()


def test_merge_moves_registrations_records_roles_and_documents(world, twins, private_media):
    w = world
    kept, removed, candidate = twins
    registration = register(w, removed, w.host_slot)
    with for_site(w.site):
        grant(removed, w.site, Role.SPEAKER, establishment=w.master)
        w.slot.speakers.add(removed)
    current = document(w.site, removed)
    archived = document(w.site, removed, archived=True)

    with for_site(w.site):
        result = merge_candidate(candidate, kept=kept, by=w.master_referent)

    assert result.removed_deleted and not exists(removed)
    with platform_job():
        registration.refresh_from_db()
        assert registration.person_id == kept.pk and registration.status == Status.ACTIVE
        # The visitor record of the removed account moved; the pupil record stayed the kept one's.
        assert VisitorRecord.objects.get(site=w.site, user=kept)
        assert PupilRecord.objects.filter(site=w.site, user=kept).count() == 1
        roles = set(RoleAssignment.objects.filter(site=w.site, user=kept).values_list("role", flat=True))
        assert roles == {Role.PUPIL, Role.VISITOR, Role.SPEAKER}
        assert list(w.slot.speakers.filter(pk=kept.pk))
        current.refresh_from_db()
        archived.refresh_from_db()
        assert current.user_id == archived.user_id == kept.pk
        assert current.file.storage.exists(current.file.name)  # files move with their rows
        candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.MERGED
    assert candidate.reviewed_by == w.master_referent and candidate.reviewed_at
    assert {candidate.user_a_id, candidate.user_b_id} == {kept.pk, None}
    assert taken(w.host_slot) == 1


def test_both_registered_on_a_slot_keeps_one_registration_and_counts_it_once(world, twins):
    w = world
    kept, removed, _candidate = twins
    kept_registration = register(w, kept, w.host_slot)
    removed_registration = register(w, removed, w.host_slot)
    assert taken(w.host_slot) == 2

    with for_site(w.site):
        result = merge_accounts(w.site, kept, removed, w.master_referent)

    assert result.cancelled_registrations == 1
    assert taken(w.host_slot) == 1
    with platform_job():
        active = Registration.objects.filter(slot=w.host_slot, status=Status.ACTIVE)
        assert list(active) == [kept_registration]
        removed_registration.refresh_from_db()
    assert removed_registration.status == Status.CANCELLED
    assert removed_registration.person_id == kept.pk  # its history moved too


def test_the_kept_account_keeps_its_own_record_of_a_kind_both_have(world):
    w = world
    kept = person(w.site, "Léa", "Martin", phone="kept")
    removed = person(w.site, "LEA", "MARTIN", phone="removed")
    with for_site(w.site):
        merge_candidate(pair(w.site, kept, removed), kept=kept, by=w.master_referent)
        records = list(PupilRecord.objects.filter(user__in=[kept.pk, removed.pk]))
    assert [(r.user_id, r.phone) for r in records] == [(kept.pk, "kept")]


def test_roles_both_hold_are_not_doubled(world, twins):
    w = world
    kept, removed, _ = twins
    with for_site(w.site):
        grant(kept, w.site, Role.VISITOR)  # removed holds it too
        merge_accounts(w.site, kept, removed, w.master_referent)
        assert RoleAssignment.objects.filter(user=kept, role=Role.VISITOR).count() == 1


def test_a_current_document_of_a_type_both_sent_keeps_the_kept_ones(world, twins, private_media):
    w = world
    kept, removed, _ = twins
    mine, theirs = document(w.site, kept), document(w.site, removed)
    with for_site(w.site):
        result = merge_accounts(w.site, kept, removed, w.master_referent)
    with platform_job():
        assert list(type(mine).objects.filter(user=kept)) == [mine]
    assert result.dropped.get("attestations.Attestation") == 1
    with platform_job():
        assert not type(theirs).objects.filter(pk=theirs.pk).exists()


def test_files_of_dropped_rows_are_removed_after_commit(
    world, twins, private_media, django_capture_on_commit_callbacks
):
    w = world
    kept, removed, _ = twins
    document(w.site, kept)
    theirs = document(w.site, removed)
    with django_capture_on_commit_callbacks(execute=True), for_site(w.site):
        merge_accounts(w.site, kept, removed, w.master_referent)
    assert not theirs.file.storage.exists(theirs.file.name)


def test_an_account_used_on_another_site_stays(world, other_world, twins):
    w = world
    kept, removed, candidate = twins
    with platform_job():
        grant(removed, other_world.site, Role.VISITOR)
        elsewhere = Registration.objects.create(site=other_world.site, slot=other_world.slot, person=removed)

    with for_site(w.site):
        result = merge_candidate(candidate, kept=kept, by=w.master_referent)

    assert not result.removed_deleted and exists(removed)
    with platform_job():
        # Nothing of the removed account is left on this site; the other site is untouched.
        assert not RoleAssignment.objects.filter(site=w.site, user=removed).exists()
        assert not VisitorRecord.objects.filter(site=w.site, user=removed).exists()
        assert RoleAssignment.objects.filter(site=other_world.site, user=removed).exists()
        elsewhere.refresh_from_db()
        assert elsewhere.person_id == removed.pk
        candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.MERGED


def test_other_pairs_of_the_removed_account_now_concern_the_kept_one(world, twins):
    w = world
    kept, _removed, candidate = twins
    third = person(w.site, "Élodie", "Dupont", role=Role.STUDENT)
    with for_site(w.site):
        merge_candidate(candidate, kept=kept, by=w.master_referent)
    with platform_job():
        assert StudentRecord.objects.filter(user=third).exists()
        rows = DuplicateCandidate.objects.filter(site=w.site, status=DuplicateCandidate.Status.OPEN)
        assert [(c.user_a_id, c.user_b_id) for c in rows] == [tuple(sorted((kept.pk, third.pk)))]


@pytest.mark.parametrize("case", ["same", "operator", "self"])
def test_refused_merges_change_nothing(world, twins, case):
    w = world
    kept, removed, candidate = twins
    registration = register(w, removed, w.host_slot)
    if case == "same":
        removed = kept
    elif case == "operator":
        removed.is_operator = True
        removed.save()
    by = removed if case == "self" else w.master_referent
    with pytest.raises(ReviewRefused), for_site(w.site):
        merge_accounts(w.site, kept, removed, by)
    with platform_job():
        registration.refresh_from_db()
        candidate.refresh_from_db()
    assert registration.person_id == twins[1].pk and exists(twins[1])
    assert candidate.status == DuplicateCandidate.Status.OPEN


def test_a_reviewed_pair_cannot_be_merged(world, twins):
    w = world
    kept, removed, candidate = twins
    with platform_job():
        DuplicateCandidate.objects.filter(pk=candidate.pk).update(
            status=DuplicateCandidate.Status.NOT_DUPLICATE, reviewed_at=candidate.created_at
        )
        candidate.refresh_from_db()
    with pytest.raises(ReviewRefused), for_site(w.site):
        merge_candidate(candidate, kept=kept, by=w.master_referent)
    assert exists(removed)


def test_a_slot_of_another_site_is_not_touched(world, other_world, twins):
    w = world
    kept, removed, _ = twins
    with for_site(w.site):
        extra = make_slot(w, w.course, days=20)
    register(w, removed, extra)
    with for_site(w.site):
        merge_accounts(w.site, kept, removed, w.master_referent)
    assert taken(extra) == 1 and taken(other_world.slot) == 1  # its own registration only
