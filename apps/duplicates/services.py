"""Write side of duplicates: review a pair, merge two accounts of a site.

The merge is generic: every site-owned row of the site pointing at the removed person
(through any foreign key to the user model, or a many-to-many such as slot speakers)
moves to the kept person, so a model added by a later app follows without change. The
few "one per person" rules are settled first: a slot both people are registered on, a
kind of record both have, a role both hold.

Both decisions leave their row in the action log: a merge names both accounts (the kept one
is its subject) and counts what moved, what was dropped and the registrations cancelled; the
entries of the log about the removed account move to the kept one with the rest.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import RoleAssignment
from apps.audit.services import log_action, person_label
from apps.privacy.userdata import (
    delete_stored_files_on_commit,
    stored_files_deleted_with,
    user_links,
    user_m2m_links,
)
from apps.records.services import RECORD_KINDS
from apps.registrations.models import Registration, Status
from apps.registrations.services import cancel_registration
from apps.tenancy.scoping import for_site, platform_job

from .models import DuplicateCandidate


class ReviewRefused(Exception):
    """The review or merge cannot happen; ``message`` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class MergeResult:
    kept: object
    removed_id: int
    moved: dict = field(default_factory=dict)  # model label -> rows moved
    dropped: dict = field(default_factory=dict)  # model label -> rows of the removed person dropped
    cancelled_registrations: int = 0
    removed_deleted: bool = False


def _ordered(first_id, second_id):
    return (first_id, second_id) if first_id < second_id else (second_id, first_id)


@transaction.atomic
def mark_not_duplicate(candidate, *, by):
    """Close an open pair for good: it will never be flagged again."""
    updated = DuplicateCandidate.objects.filter(
        pk=candidate.pk, site_id=candidate.site_id, status=DuplicateCandidate.Status.OPEN
    ).update(status=DuplicateCandidate.Status.NOT_DUPLICATE, reviewed_by=by, reviewed_at=timezone.now())
    if not updated:
        raise ReviewRefused(_("This pair has already been reviewed."))
    candidate.refresh_from_db()
    first, second = candidate.user_a, candidate.user_b
    log_action(
        "duplicates.pair.dismissed",
        site=candidate.site,
        actor=by,
        obj=candidate,
        subject=first,
        label=f"{person_label(first)} / {person_label(second)}",
        data={"accounts": [first, second]},
    )
    return candidate


def merge_candidate(candidate, *, kept, by):
    """Merge an open pair into ``kept`` (one of its two accounts)."""
    people = {user.pk: user for user in candidate.people()}
    if not candidate.is_open or len(people) != 2:
        raise ReviewRefused(_("This pair has already been reviewed."))
    if kept.pk not in people:
        raise ReviewRefused(_("Choose one of the two accounts."))
    removed = next(user for pk, user in people.items() if pk != kept.pk)
    return merge_accounts(candidate.site, people[kept.pk], removed, by, candidate=candidate)


@transaction.atomic
def merge_accounts(site, kept, removed, by, *, candidate=None):
    """Move everything ``removed`` has on ``site`` to ``kept``, in one transaction.

    Then delete ``removed`` if nothing of them is left on any other site (their files go
    with the rows the deletion cascades to); otherwise the global account stays for the
    other sites. Raises :class:`ReviewRefused` when the merge is not allowed.
    """
    user_model = get_user_model()
    if kept.pk == removed.pk:
        raise ReviewRefused(_("Choose two different accounts."))
    if removed.is_operator or removed.is_superuser:
        raise ReviewRefused(_("A platform operator's account cannot be merged into another one."))
    if by is not None and removed.pk == by.pk:
        raise ReviewRefused(_("You cannot merge your own account into another one."))
    # Lock both people: two merges of the same account cannot interleave.
    locked = list(user_model.objects.select_for_update().filter(pk__in=[kept.pk, removed.pk]))
    if len(locked) != 2:
        raise ReviewRefused(_("One of the two accounts no longer exists."))
    result = MergeResult(kept=kept, removed_id=removed.pk)
    with for_site(site):
        candidate = _lock_candidate(site, kept, removed, candidate)
        result.cancelled_registrations = _cancel_double_registrations(site, kept, removed, by)
        _drop(result, _records_both_have(site, kept, removed))
        _drop(result, _roles_both_hold(site, kept, removed))
        _move_foreign_keys(site, kept, removed, result)
        _move_many_to_many(site, kept, removed, result)
        _move_candidates(site, kept, removed, candidate)
        DuplicateCandidate.objects.filter(pk=candidate.pk).update(
            status=DuplicateCandidate.Status.MERGED, reviewed_by=by, reviewed_at=timezone.now()
        )
    if not _still_used_elsewhere(site, removed):
        delete_stored_files_on_commit(stored_files_deleted_with([removed]))
        with platform_job():
            removed.delete()
        result.removed_deleted = True
    _log_merge(site, by, candidate, kept, removed, result)
    return result


def _log_merge(site, by, candidate, kept, removed, result):
    data = {
        "kept": {"id": kept.pk, "label": person_label(kept), "email": kept.email},
        "removed": {"id": result.removed_id, "label": person_label(removed), "email": removed.email},
        "moved": result.moved,
        "dropped": result.dropped,
        "cancelled_registrations": result.cancelled_registrations,
        "removed_account_deleted": result.removed_deleted,
    }
    label = f"{person_label(kept)} ← {person_label(removed)}"
    with for_site(site):
        log_action("duplicates.pair.merged", site=site, actor=by, obj=candidate, subject=kept, label=label, data=data)


def _lock_candidate(site, kept, removed, candidate):
    """The pair's candidate row, locked (created as a record of the merge if there was none)."""
    low, high = _ordered(kept.pk, removed.pk)
    pair = DuplicateCandidate.objects.select_for_update().filter(site=site, user_a_id=low, user_b_id=high)
    if candidate is not None:
        pair = pair.filter(pk=candidate.pk)
    row = pair.first()
    if row is None:
        if candidate is not None:
            raise ReviewRefused(_("This pair has already been reviewed."))
        row = DuplicateCandidate.objects.create(site=site, user_a_id=low, user_b_id=high)
    elif not row.is_open:
        raise ReviewRefused(_("This pair has already been reviewed."))
    return row


def _cancel_double_registrations(site, kept, removed, by):
    """Both registered on the same slot: the removed account's registration is cancelled."""
    kept_slots = Registration.objects.filter(site=site, person=kept, status=Status.ACTIVE).values("slot_id")
    doubles = Registration.objects.filter(site=site, person=removed, status=Status.ACTIVE, slot_id__in=kept_slots)
    return sum(bool(cancel_registration(registration, by=by, notify=False)) for registration in doubles)


def _records_both_have(site, kept, removed):
    """The removed person's records of a kind the kept person already has (the kept one stays)."""
    for model in RECORD_KINDS.values():
        if model.objects.filter(site=site, user=kept).exists():
            yield model.objects.filter(site=site, user=removed)


def _roles_both_hold(site, kept, removed):
    def key(assignment):
        return (assignment.role, assignment.establishment_id, assignment.structure_id, assignment.high_school_id)

    held = {key(a) for a in RoleAssignment.objects.filter(site=site, user=kept)}
    same = [a.pk for a in RoleAssignment.objects.filter(site=site, user=removed) if key(a) in held]
    yield RoleAssignment.objects.filter(pk__in=same)


def _drop(result, querysets):
    for queryset in querysets:
        rows = list(queryset)
        if rows:
            delete_stored_files_on_commit(stored_files_deleted_with(rows))
            queryset.model.objects.filter(pk__in=[row.pk for row in rows]).delete()
            label = queryset.model._meta.label
            result.dropped[label] = result.dropped.get(label, 0) + len(rows)


def _move_foreign_keys(site, kept, removed, result):
    for model, link in user_links(site_owned=True):
        if model is DuplicateCandidate:
            continue  # pairs are re-pointed by _move_candidates
        rows = model.objects.filter(site=site, **{link.name: removed})
        label = model._meta.label
        try:
            with transaction.atomic():
                moved = rows.update(**{link.name: kept})
        except IntegrityError:
            # A "one per person" rule this module does not know of: move row by row, and drop
            # the removed person's row where the kept person already has its equivalent.
            moved = 0
            for pk in list(rows.values_list("pk", flat=True)):
                try:
                    with transaction.atomic():
                        moved += model.objects.filter(pk=pk).update(**{link.name: kept})
                except IntegrityError:
                    _drop(result, [model.objects.filter(pk=pk)])
        if moved:
            result.moved[label] = result.moved.get(label, 0) + moved


def _move_many_to_many(site, kept, removed, result):
    for model, link in user_m2m_links(site_owned=True):
        through = link.remote_field.through
        source, target = link.m2m_field_name(), link.m2m_reverse_field_name()
        on_site = through.objects.filter(**{f"{source}__site": site})
        already = on_site.filter(**{target: kept}).values(f"{source}_id")
        on_site.filter(**{target: removed, f"{source}_id__in": already}).delete()
        moved = on_site.filter(**{target: removed}).update(**{target: kept})
        if moved:
            label = f"{model._meta.label}.{link.name}"
            result.moved[label] = result.moved.get(label, 0) + moved


def _move_candidates(site, kept, removed, merged):
    """The removed person's other pairs now concern the kept person (a decision stays)."""
    DuplicateCandidate.objects.filter(site=site, reviewed_by=removed).update(reviewed_by=kept)
    others = DuplicateCandidate.objects.filter(site=site).exclude(pk=merged.pk)
    for row in list(others.filter(user_a=removed)) + list(others.filter(user_b=removed)):
        other_id = row.user_b_id if row.user_a_id == removed.pk else row.user_a_id
        if other_id is None or other_id == kept.pk:
            row.delete()
            continue
        low, high = _ordered(kept.pk, other_id)
        existing = others.filter(user_a_id=low, user_b_id=high).exclude(pk=row.pk).first()
        if existing is None:
            DuplicateCandidate.objects.filter(pk=row.pk).update(user_a_id=low, user_b_id=high)
            continue
        if existing.is_open and not row.is_open:
            DuplicateCandidate.objects.filter(pk=existing.pk).update(
                status=row.status, reviewed_by_id=row.reviewed_by_id, reviewed_at=row.reviewed_at
            )
        row.delete()


def _still_used_elsewhere(site, person):
    """Does anything of this person remain on another site (a role, a registration, any row)?"""
    if person.is_operator or person.is_superuser:
        return True
    with platform_job():
        for model, link in user_links(site_owned=True):
            if model._default_manager.filter(**{link.name: person}).exclude(site=site).exists():
                return True
        for model, link in user_m2m_links(site_owned=True):
            if model._default_manager.filter(**{link.name: person}).exclude(site=site).exists():
                return True
    return False
