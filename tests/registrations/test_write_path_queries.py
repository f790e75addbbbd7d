"""Exact query counts of the write path (issue 11, section 6), one reason per query.

Each count is the length of a tuple of reasons, one line per query, in the order they run. The
counts are the same on SQLite and PostgreSQL (a ``SELECT … FOR UPDATE`` is one statement on
both; SQLite drops the clause and its ``IMMEDIATE`` transactions queue the writers instead).
"savepoint" lines are the service's ``transaction.atomic()``: a savepoint inside the test's
transaction, BEGIN/COMMIT in production (not counted there). E-mails are queued for after the
commit (the outbox insert runs then) and are not in these counts. The person acting is read
fresh, so their roles are read once, as on the first policy question of a request.
"""

from django.utils import timezone

from apps.accounts.models import Role, User
from apps.catalogue.models import Slot
from apps.records import services as records
from apps.records.models import PupilRecord, RecordStatus
from apps.registrations import groups, rules, services
from apps.registrations.models import Registration, WaitingListEntry, WaitingStatus
from apps.tenancy.models import Site
from tests.factories import grant, make_pupil, make_slot, make_user

EVALUATE_CLAIMING = (
    "the person's record on the site (pupil record first, with its high school and levels)",
    "the roles of the person acting (kept on the user object for the rest of the request)",
    "the site's mandatory attestation types (none here: nothing more to read)",
    "the slot's restrictions (one union over its eight lists)",
    "an active registration of the person on this slot?",
    "an overlapping registration of the person?",
    "the person's registrations in the period (the quota)",
    "the slot's line: live offers and people waiting (one aggregate)",
)
EVALUATE = (*EVALUATE_CLAIMING, "the person's live waiting-list entry on the slot (when not claiming one)")

REGISTER = (
    "an expired offer to pass on before deciding? (before the transaction)",
    "savepoint",
    "lock the slot row (with its site, period, course, training, structure, event)",
    "expired offers of the slot, under the lock (none)",
    "lock the person row",
    *EVALUATE,
    "update the places counter (conditional: taken < places)",
    "savepoint around the insert (the one-active-registration constraint's guard)",
    "insert the registration",
    "release that savepoint",
    "insert the log row (registration created)",
    "release",
)
SERVE_NOBODY = (
    "expired offers of the slot (serving the line)",
    "people waiting on the slot (none: nothing to count, nobody to lock)",
)
CANCEL = (
    "savepoint",
    "lock the slot row",
    "the registration, with its person",
    "the roles of the person cancelling (the cancellation rules)",
    "update the registration (cancelled, by, reason)",
    "update the places counter (-1)",
    "insert the log row (registration cancelled)",
    *SERVE_NOBODY,
    "release",
)
CANCEL_IN_BATCH = (
    "savepoint (each registration's own)",
    "the registration, with its person",
    "update the registration (cancelled, by, reason)",
    "update the places counter (-1)",
    "insert the log row (registration cancelled)",
    *SERVE_NOBODY,
    "release",
)
BATCH_OF_TWO = (
    "savepoint",
    "lock the slot row (every slot once, in ascending order)",
    "people waiting on those slots, to lock at once (none)",
    CANCEL_IN_BATCH[0],
    CANCEL_IN_BATCH[1],
    "the roles of the manager (first registration only)",
    *CANCEL_IN_BATCH[2:],
    *CANCEL_IN_BATCH,
    "release",
)
SERVE_ONE = (
    "savepoint",
    "lock the slot row",
    "expired offers of the slot (none)",
    "people waiting on the slot (their ids, to lock)",
    "the slot's places (the caller may just have moved the counter)",
    "live offers holding places",
    "lock the people in line (ascending ids, all at once)",
    "the first in line, with their person",
    *EVALUATE_CLAIMING,
)
FILL_OFFER = (
    *SERVE_ONE,
    "update the entry (place offered, until when)",
    "insert the log row (place offered)",
    "release",
)
FILL_AT_ONCE = (
    *SERVE_ONE,
    "savepoint (a refusal would undo the counter and the line go on)",
    "update the places counter (conditional)",
    "savepoint around the insert",
    "insert the registration",
    "release that savepoint",
    "insert the log row (registration created, by the waiting list)",
    "update the entry (promoted, its registration)",
    "insert the log row (registered from the waiting list)",
    "release",
    "release",
)
CLAIM = (
    "savepoint",
    "lock the slot row",
    "read and lock the person row (one statement)",
    "lock the waiting-list entry",
    "expired offers of the slot (none)",
    *EVALUATE_CLAIMING,
    "update the places counter (conditional)",
    "savepoint around the insert",
    "insert the registration",
    "release that savepoint",
    "insert the log row (registration created)",
    "update the entry (promoted, its registration)",
    "insert the log row (offer claimed)",
    "release",
)
REGISTER_GROUP = (
    "savepoint",
    "lock the slot row",
    "the group this form registered already? (the form's submission key)",
    "the roles of the person registering (the policy's ADD)",
    "the slot's restrictions (one union)",
    "update the group places counter (conditional)",
    "insert the group registration",
    "insert the log row (group registration created)",
    "release",
)
CANCEL_GROUP = (
    "savepoint",
    "lock the slot row",
    "the group, with its high school",
    "the roles of the person cancelling",
    "update the group (cancelled)",
    "update the group places counter",
    "insert the log row (group registration cancelled)",
    "release",
)

VALIDATE_RECORD = (
    "savepoint",
    "read and lock the record, with its person, site and high school (only its own row locked)",
    "the roles of the validator (the policy's VALIDATE)",
    "update the record (validated, when, by whom)",
    "insert the log row (record validated)",
    "release",
)
BULK_VALIDATE_TWO = (
    "savepoint",
    "the roles of the validator",
    "the pending records of the keys within the validator's scope (their ids)",
    "read and lock them, with their persons (one statement, only their own rows locked)",
    "update them at once (validated)",
    "insert the log row of the first (record validated)",
    "insert the log row of the second",
    "release",
)


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_the_write_path_of_individual_registrations_costs_fixed_queries(in_site, django_assert_num_queries):
    w = in_site
    slot = make_slot(w, w.course, days=10, individual_places=3)
    pupil = fresh(make_pupil(w))
    with django_assert_num_queries(len(EVALUATE)):
        assert rules.evaluate(slot, pupil, by=pupil, site=w.site).allowed
    pupil = fresh(pupil)
    with django_assert_num_queries(len(REGISTER)):
        registration = services.register(slot, pupil, by=pupil)
    pupil = fresh(pupil)
    with django_assert_num_queries(len(CANCEL)):
        assert services.cancel_registration(registration, by=pupil, check=True)

    first, second = make_pupil(w), make_pupil(w)
    batch = [services.register(slot, person, by=person) for person in (first, second)]
    manager = fresh(w.structure_referent)
    with django_assert_num_queries(len(BATCH_OF_TWO)):
        assert services.cancel_registrations(batch, by=manager) == (2, [])

    # The line: one place freed on a full slot, one person waiting; offered, or registered at once.
    served = {}
    for claim_hours, pinned in ((24, FILL_OFFER), (0, FILL_AT_ONCE)):
        Site.objects.filter(pk=w.site.pk).update(waiting_list_claim_hours=claim_hours)
        full = make_slot(w, w.course, days=12, individual_places=1)
        holder, waiting = make_pupil(w), make_pupil(w)
        services.register(full, holder, by=holder)
        services.join_waiting_list(full, waiting, by=waiting)
        Slot.objects.filter(pk=full.pk).update(individual_places=2)
        with django_assert_num_queries(len(pinned)):
            [served[claim_hours]] = services.fill_from_waiting_list(full.pk)
    assert Registration.objects.filter(slot=full, person=waiting).exists()

    entry = WaitingListEntry.objects.get(pk=served[24].pk, status=WaitingStatus.OFFERED)  # as the page reads it
    person = fresh(served[24].person)
    with django_assert_num_queries(len(CLAIM)):
        services.claim_offer(entry, by=person)
    assert Registration.objects.filter(slot=entry.slot, person=person, from_waiting_list=True).exists()


def test_group_registrations_cost_fixed_queries(in_site, django_assert_num_queries):
    w = in_site
    slot = make_slot(w, w.course, days=10, allows_group_registrations=True, group_places=30)
    referent = fresh(w.high_school_referent)
    contact = {"contact_name": "Mme Martin", "contact_email": "martin@lycee.example"}
    with django_assert_num_queries(len(REGISTER_GROUP)):
        group = groups.register_group(slot, w.high_school, by=referent, pupils_count=12, submission_key="k", **contact)
    referent = fresh(w.high_school_referent)
    with django_assert_num_queries(len(CANCEL_GROUP)):
        assert groups.cancel_group_registration(group, by=referent)


def test_validating_records_costs_fixed_queries(in_site, django_assert_num_queries):
    """Pinned after the records' own log rows (apps/records/services.py)."""
    w = in_site
    pending = []
    for _ in range(3):
        person = make_user()
        grant(person, w.site, Role.PUPIL)
        pending.append(
            PupilRecord.objects.create(
                site=w.site,
                user=person,
                high_school=w.high_school,
                status=RecordStatus.TO_VALIDATE,
                submitted_at=timezone.now(),
            )
        )
    record, validator = PupilRecord.objects.get(pk=pending[0].pk), fresh(w.high_school_referent)
    with django_assert_num_queries(len(VALIDATE_RECORD)):
        assert records.validate_record(w.site, validator, record).status == RecordStatus.VALIDATED
    keys, validator = [f"pupil:{r.pk}" for r in pending[1:]], fresh(w.high_school_referent)
    with django_assert_num_queries(len(BULK_VALIDATE_TWO)):
        assert len(records.bulk_validate(w.site, validator, keys).validated) == 2
