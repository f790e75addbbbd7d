"""The engine under real concurrency, on PostgreSQL: threads, each with its own connection.

Each test releases its threads at once with a barrier. PostgreSQL's ``max_connections`` (100 by
default) is shared with the rest of the machine, so at most ``CONNECTIONS`` threads hold a
connection at a time: all of them still contend for the same rows at the same moment.
"""

import datetime as dt
import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction
from django.utils import timezone

from apps.academic_calendar.models import Period
from apps.accounts.models import Role, RoleAssignment, User
from apps.catalogue.models import Slot
from apps.records.models import PupilRecord, RecordStatus
from apps.registrations.groups import register_group
from apps.registrations.models import GroupRegistration, Registration, Status, WaitingListEntry, WaitingStatus
from apps.registrations.rules import Code
from apps.registrations.services import (
    RegistrationRefused,
    cancel_registration,
    cancel_registrations,
    join_waiting_list,
    register,
)
from apps.registrations.slot_services import update_slot
from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site
from tests.factories import make_slot

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="real concurrent connections need PostgreSQL (SQLite serialises writers: IMMEDIATE transactions); "
        "run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

CONNECTIONS = 40


def validated_pupils(w, count, tag):
    """``count`` validated pupils of the world's high school, created in three queries."""
    users = User.objects.bulk_create(
        [
            User(email=f"{tag}{i}@concurrency.example", first_name=f"P{i}", last_name=tag, password="!")
            for i in range(count)
        ]
    )
    RoleAssignment.objects.bulk_create([RoleAssignment(site=w.site, user=u, role=Role.PUPIL) for u in users])
    now = timezone.now()
    PupilRecord.objects.bulk_create(
        [
            PupilRecord(site=w.site, user=u, high_school=w.high_school, status=RecordStatus.VALIDATED, validated_at=now)
            for u in users
        ]
    )
    return users


def run_at_once(site, jobs, hold_inserts=True, hold_sql=None):
    """Run each job (a callable) in its own thread, all released together. Returns their results
    (a job's return value, or the exception it raised) in order.

    ``hold_inserts``: for the first second, another transaction holds a SHARE lock on the
    registrations table, so every job that got past its decision waits at its INSERT. This
    widens the window between "decide" and "write" from microseconds to a second: a missing
    lock would let several jobs decide on the same stale state, and the test would see it.
    ``hold_sql``: hold that (e.g. a row lock) for the first second instead.
    """
    hold_inserts = hold_inserts or hold_sql is not None
    hold_sql = hold_sql or f"LOCK TABLE {Registration._meta.db_table} IN SHARE MODE"
    barrier = threading.Barrier(len(jobs) + (1 if hold_inserts else 0))
    gate = threading.BoundedSemaphore(CONNECTIONS)
    results = [None] * len(jobs)

    def holder():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(hold_sql)
                barrier.wait()
                time.sleep(1)
        finally:
            connection.close()

    def worker(index, job):
        try:
            barrier.wait()
            with gate:
                try:
                    with for_site(site):
                        results[index] = job()
                except Exception as error:  # reported to the test
                    results[index] = error
                finally:
                    connection.close()
        except threading.BrokenBarrierError as error:
            results[index] = error

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    if hold_inserts:
        threads.append(threading.Thread(target=holder))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (lock wait?)"
    return results


def outcome(result):
    if isinstance(result, RegistrationRefused):
        return tuple(result.decision.codes)
    if isinstance(result, (Registration, GroupRegistration)):
        return "registered"
    return repr(result)  # anything else (a deadlock, an integrity error) fails the test below


def registrar(slot_pk, person_pk):
    def job():
        person = User.objects.get(pk=person_pk)
        return register(Slot.objects.get(pk=slot_pk), person, by=person)

    return job


def active_on(slot):
    return Registration.objects.filter(slot=slot, status=Status.ACTIVE)


def test_200_pupils_rushing_10_places(world):
    w = world
    with for_site(w.site):
        slot = make_slot(w, w.course, days=10, individual_places=10)
        pupils = validated_pupils(w, 200, "rush")
    results = run_at_once(w.site, [registrar(slot.pk, p.pk) for p in pupils])
    counts = Counter(outcome(r) for r in results)
    assert counts == {"registered": 10, (Code.FULL,): 190}
    with for_site(w.site):
        assert active_on(slot).count() == 10
        assert Slot.objects.get(pk=slot.pk).individual_places_taken == 10


def test_one_person_submitting_20_times(world):
    w = world
    with for_site(w.site):
        slot = make_slot(w, w.course, days=10, individual_places=10)
        (pupil,) = validated_pupils(w, 1, "double")
    results = run_at_once(w.site, [registrar(slot.pk, pupil.pk) for _ in range(20)])
    assert Counter(outcome(r) for r in results) == {"registered": 1, (Code.ALREADY_REGISTERED,): 19}
    with for_site(w.site):
        assert active_on(slot).filter(person=pupil).count() == 1
        assert Slot.objects.get(pk=slot.pk).individual_places_taken == 1


def test_two_slots_at_once_with_one_quota_unit_left(world):
    """Twenty people each register to two slots at once (a pair of slots each, so that every
    pair races) with one registration left in their quota: each ends with exactly one."""
    w = world
    with for_site(w.site):
        Period.objects.filter(pk=w.period.pk).update(quota_per_person=1)
        pupils = validated_pupils(w, 20, "quota")
        pairs = [
            (
                make_slot(w, w.course, days=10 + i, individual_places=5, start_time=dt.time(8), end_time=dt.time(9)),
                make_slot(w, w.other_course, days=10 + i, individual_places=5),
            )
            for i in range(len(pupils))
        ]
    jobs = [registrar(slot.pk, p.pk) for p, pair in zip(pupils, pairs, strict=True) for slot in pair]
    results = run_at_once(w.site, jobs)
    assert Counter(outcome(r) for r in results) == {"registered": 20, (Code.PERIOD_QUOTA,): 20}
    with for_site(w.site):
        per_person = Counter(
            Registration.objects.filter(person__in=pupils, status=Status.ACTIVE).values_list("person_id", flat=True)
        )
        assert sorted(per_person.values()) == [1] * 20
        slots = [slot.pk for pair in pairs for slot in pair]
        assert sum(Slot.objects.filter(pk__in=slots).values_list("individual_places_taken", flat=True)) == 20


@pytest.mark.parametrize("claim_hours", [0, 24])
def test_promotions_under_concurrent_cancellations(world, claim_hours):
    w = world
    with for_site(w.site):
        Site.objects.filter(pk=w.site.pk).update(waiting_list_claim_hours=claim_hours)
        slot = make_slot(w, w.course, days=10, individual_places=10)
        holders = validated_pupils(w, 10, "holder")
        waiting = validated_pupils(w, 30, "waiting")
        newcomers = validated_pupils(w, 20, "newcomer")
        registrations = [register(slot, p, by=p) for p in holders]
        entries = [join_waiting_list(slot, p, by=p) for p in waiting]

    def canceller(registration_pk, person):
        def job():
            return cancel_registration(Registration.objects.get(pk=registration_pk), by=person, check=True)

        return job

    jobs = [canceller(r.pk, p) for r, p in zip(registrations, holders, strict=True)]
    jobs += [registrar(slot.pk, p.pk) for p in newcomers]
    results = run_at_once(w.site, jobs)
    assert results[:10] == [True] * 10
    assert {outcome(r) for r in results[10:]} == {(Code.FULL,)}  # nobody jumps the line
    with for_site(w.site):
        locked = Slot.objects.get(pk=slot.pk)
        line = list(WaitingListEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("joined_at", "pk"))
        served = [e for e in line if e.status in (WaitingStatus.PROMOTED, WaitingStatus.OFFERED)]
        # Strict order: the first ten in line, each served once, the others still waiting.
        assert [e.pk for e in served] == [e.pk for e in line[:10]]
        assert all(e.status == WaitingStatus.WAITING for e in line[10:])
        active = active_on(slot)
        assert locked.individual_places_taken == active.count()
        offers = sum(1 for e in served if e.status == WaitingStatus.OFFERED)
        assert locked.individual_places_taken + offers == 10
        people = list(active.values_list("person_id", flat=True))
        assert len(people) == len(set(people))
        if claim_hours == 0:
            assert active.filter(from_waiting_list=True).count() == 10
            assert {e.registration_id for e in served} == set(active.values_list("pk", flat=True))


def test_people_in_two_lines_do_not_deadlock(world):
    """Two slots gain places at once and promote the same people, who stand in the two lines in
    opposite orders: the person locks are taken in one order (ascending id), so neither
    transaction waits for the other forever (PostgreSQL would abort one with a deadlock)."""
    w = world
    with for_site(w.site):
        Site.objects.filter(pk=w.site.pk).update(waiting_list_claim_hours=0)
        Period.objects.filter(pk=w.period.pk).update(quota_per_person=10)
        first = make_slot(w, w.course, days=10, individual_places=1, start_time=dt.time(8), end_time=dt.time(9))
        second = make_slot(w, w.other_course, days=11, individual_places=1)
        holders = validated_pupils(w, 2, "holder")
        waiting = validated_pupils(w, 12, "twice")
        register(first, holders[0], by=holders[0])
        register(second, holders[1], by=holders[1])
        for person in waiting:
            join_waiting_list(first, person, by=person)
        for person in reversed(waiting):
            join_waiting_list(second, person, by=person)

    def more_places(slot_pk):
        return lambda: update_slot(Slot.objects.get(pk=slot_pk), {"individual_places": 13})

    results = run_at_once(w.site, [more_places(first.pk), more_places(second.pk)])
    assert all(isinstance(r, list) for r in results), results  # the warnings lists: no error
    with for_site(w.site):
        for slot in (first, second):
            assert active_on(slot).count() == Slot.objects.get(pk=slot.pk).individual_places_taken == 13
            assert active_on(slot).filter(from_waiting_list=True).count() == 12


@pytest.mark.parametrize("attempt", range(3))
def test_a_batch_cancellation_and_a_fill_do_not_deadlock(world, attempt):
    """A manager's batch over two slots promotes, slot after slot, a person with a higher id and
    then one with a lower id, while new places on a third slot promote the same two. A held row
    lock on the lower one makes both transactions wait for it at the same moment: without the
    batch locking everyone in its lines at once, in id order, whichever got it second would
    deadlock (about one run in two)."""
    w = world
    with for_site(w.site):
        Site.objects.filter(pk=w.site.pk).update(waiting_list_claim_hours=0)
        Period.objects.filter(pk=w.period.pk).update(quota_per_person=10)
        first = make_slot(w, w.course, days=10, individual_places=1, start_time=dt.time(8), end_time=dt.time(9))
        second = make_slot(w, w.other_course, days=11, individual_places=1)
        third = make_slot(w, w.course, days=12, individual_places=0)
        holders = validated_pupils(w, 2, "holder")
        low, high = validated_pupils(w, 2, "line")
        batch = [register(first, holders[0], by=holders[0]), register(second, holders[1], by=holders[1])]
        join_waiting_list(first, high, by=high)  # the batch meets the higher id first...
        join_waiting_list(second, low, by=low)  # ...then the lower one
        for person in (low, high):
            join_waiting_list(third, person, by=person)
    manager = User.objects.get(pk=w.master_referent.pk)

    def cancel_batch():
        return cancel_registrations(list(Registration.objects.filter(pk__in=[r.pk for r in batch])), by=manager)

    def open_places():
        return update_slot(Slot.objects.get(pk=third.pk), {"individual_places": 2})

    hold = f"SELECT id FROM {User._meta.db_table} WHERE id = {int(low.pk)} FOR UPDATE"  # noqa: S608
    results = run_at_once(w.site, [cancel_batch, open_places], hold_sql=hold)
    assert results[0] == (2, []), results
    assert isinstance(results[1], list), results
    with for_site(w.site):
        for slot in (first, second, third):
            assert active_on(slot).count() == Slot.objects.get(pk=slot.pk).individual_places_taken
        assert active_on(third).count() == 2


def test_concurrent_groups_never_exceed_the_group_places(world):
    w = world
    with for_site(w.site):
        slot = make_slot(
            w, w.course, days=10, allows_group_registrations=True, group_mode=Slot.GroupMode.BY_PLACES, group_places=30
        )

    def group(size, number):
        def job():
            return register_group(
                Slot.objects.get(pk=slot.pk),
                w.high_school,
                by=User.objects.get(pk=w.high_school_referent.pk),
                pupils_count=size,
                contact_name="Mme Martin",
                contact_email="martin@lycee.example",
                comment=f"Class {number}",  # different groups (the same one twice is a repeat)
            )

        return job

    sizes = [4] * 12 + [3] * 8  # 72 pupils asked for 30 places
    results = run_at_once(w.site, [group(size, number) for number, size in enumerate(sizes)])
    assert {outcome(r) for r in results} <= {"registered", (Code.FULL,), (Code.GROUP_TOO_LARGE,)}
    with for_site(w.site):
        groups = GroupRegistration.objects.filter(slot=slot, status=Status.ACTIVE)
        total = sum(groups.values_list("pupils_count", flat=True))
        assert total == Slot.objects.get(pk=slot.pk).group_places_taken <= 30
        assert total >= 27  # nothing refused while it still fitted (the smallest group is 3)
