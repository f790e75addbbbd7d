"""The registration engine's rows in the action log: each service writes its own, in its
transaction (actor: who acted, None for the engine; subject: the registrant), and a refused
write leaves none. One world, one case per kind of write."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.models import ActionLog
from apps.records.models import PupilRecord, RecordStatus
from apps.referentials.models import CancellationReason
from apps.registrations import groups, services
from apps.registrations.attendance import record_attendance
from apps.registrations.models import Attendance, CalendarFeed, Registration, WaitingListEntry
from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site
from tests.admin.helpers import admin_url, form_data, with_values
from tests.factories import make_pupil, make_slot

CONTACT = {"contact_name": "Mme Martin", "contact_email": "martin@lycee.example"}


class Act:
    """Runs the write under test, remembering where the log stood just before it."""

    since = 0

    def __call__(self, write):
        self.since = ActionLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return write()


def row(action, actor, obj, subject=None, **data):
    return (f"registrations.{action}", actor, obj, subject, data)


def full_slot(w, *waiting, places=1):
    """A slot whose places are taken, and people in its line (in this order)."""
    slot = make_slot(w, w.course, days=20, individual_places=places)
    holders = [make_pupil(w) for _ in range(places)]
    registrations = [services.register(slot, holder, by=holder) for holder in holders]
    entries = [services.join_waiting_list(slot, person, by=person) for person in waiting]
    return slot, holders[0], registrations[0], entries


def offered(w, *others):
    """A slot where ``person`` holds an offer, ``others`` wait behind them."""
    person = make_pupil(w)
    _slot, holder, registration, entries = full_slot(w, person, *others)
    services.cancel_registration(registration, by=holder)
    return person, WaitingListEntry.objects.get(pk=entries[0].pk), entries[1:]


# --- Registrations -----------------------------------------------------------------------


def registered_by_self(w, act):
    pupil, slot = make_pupil(w), make_slot(w, w.course, days=10)
    registration = act(lambda: services.register(slot, pupil, by=pupil))
    return [row("registration.created", pupil, registration, pupil, by="self")]


def registered_by_high_school_referent(w, act):
    pupil, slot = make_pupil(w), make_slot(w, w.course, days=10)
    registration = act(lambda: services.register(slot, pupil, by=w.high_school_referent))
    return [row("registration.created", w.high_school_referent, registration, pupil, by="high_school_referent")]


def registered_by_a_manager_past_a_restriction(w, act):
    pupil, slot = make_pupil(w), make_slot(w, w.course, days=10)
    slot.allowed_high_schools.add(w.host_high_school)
    registration = act(lambda: services.register(slot, pupil, by=w.structure_referent, force=("restricted",)))
    return [row("registration.created", w.structure_referent, registration, pupil, by="manager", forced=["restricted"])]


def refused_registration(w, act):
    with pytest.raises(services.RegistrationRefused):
        act(lambda: services.register(w.other_slot, w.other_pupil, by=w.other_pupil))
    return []


def cancelled_by_self_with_a_reason(w, act):
    pupil, slot = make_pupil(w), make_slot(w, w.course, days=10)
    registration = services.register(slot, pupil, by=pupil)
    reason = CancellationReason.objects.create(site=w.site, label="Illness")
    act(lambda: services.cancel_registration(registration, by=pupil, reason=reason, check=True))
    logged = {"id": reason.pk, "label": "Illness"}
    return [row("registration.cancelled", pupil, registration, pupil, by="self", reason=logged)]


def refused_cancellation(w, act):
    pupil, slot = make_pupil(w), make_slot(w, w.course, days=10)
    registration = services.register(slot, pupil, by=pupil)
    with pytest.raises(services.CancellationRefused):
        act(lambda: services.cancel_registration(registration, by=w.other_pupil, check=True))
    return []


def cancelled_in_a_batch(w, act):
    slot = make_slot(w, w.course, days=10)
    first, second = make_pupil(w), make_pupil(w)
    registrations = [services.register(slot, p, by=p) for p in (first, second)]
    act(lambda: services.cancel_registrations(registrations, by=w.structure_referent))
    return [
        row("registration.cancelled", w.structure_referent, registrations[0], first, by="manager", reason=None),
        row("registration.cancelled", w.structure_referent, registrations[1], second, by="manager", reason=None),
    ]


def a_refused_batch_cancels_nothing(w, act):
    pupil, slot = make_pupil(w), make_slot(w, w.course, days=10)
    mine = services.register(slot, pupil, by=pupil)
    foreign = services.register(w.host_slot, pupil, by=pupil)  # not the structure referent's slot
    cancelled, problems = act(lambda: services.cancel_registrations([mine, foreign], by=w.structure_referent))
    assert cancelled == 0 and problems
    return []


# --- Waiting lists -------------------------------------------------------------------------


def joined(w, act):
    person = make_pupil(w)
    slot, *_rest = full_slot(w)
    entry = act(lambda: services.join_waiting_list(slot, person, by=person))
    return [row("waiting_list.joined", person, entry, person)]


def left(w, act):
    person = make_pupil(w)
    _slot, _holder, _registration, [entry] = full_slot(w, person)
    act(lambda: services.leave_waiting_list(entry, by=person))
    return [row("waiting_list.left", person, entry, person)]


def place_offered_when_a_registration_is_cancelled(w, act):
    person = make_pupil(w)
    _slot, holder, registration, [entry] = full_slot(w, person)
    act(lambda: services.cancel_registration(registration, by=holder, check=True))
    return [
        row("registration.cancelled", holder, registration, holder, by="self"),
        row("waiting_list.offered", None, entry, person),
    ]


def offer_declined_goes_to_the_next(w, act):
    after = make_pupil(w)
    person, entry, [next_entry] = offered(w, after)
    act(lambda: services.leave_waiting_list(entry, by=person))
    return [row("waiting_list.declined", person, entry, person), row("waiting_list.offered", None, next_entry, after)]


def offer_claimed(w, act):
    person, entry, _others = offered(w)
    registration = act(lambda: services.claim_offer(entry, by=person))
    return [
        row("registration.created", person, registration, person, by="self", from_waiting_list=True),
        row("waiting_list.claimed", person, entry, person, registration=registration.pk),
    ]


def offer_used_by_registering(w, act):
    person, entry, _others = offered(w)
    registration = act(lambda: services.register(entry.slot, person, by=person))
    return [
        row("registration.created", person, registration, person, by="self", from_waiting_list=True),
        row("waiting_list.claimed", person, entry, person, registration=registration.pk),
    ]


def offer_expired_goes_to_the_next(w, act):
    after = make_pupil(w)
    person, entry, [next_entry] = offered(w, after)
    WaitingListEntry.objects.filter(pk=entry.pk).update(offer_expires_at=timezone.now() - dt.timedelta(minutes=1))
    act(lambda: services.process_waiting_lists())
    return [row("waiting_list.expired", None, entry, person), row("waiting_list.offered", None, next_entry, after)]


def passed_over_with_the_reason(w, act):
    unvalidated, after = make_pupil(w), make_pupil(w)
    _slot, holder, registration, [skipped, next_entry] = full_slot(w, unvalidated, after)
    PupilRecord.objects.filter(user=unvalidated).update(status=RecordStatus.TO_VALIDATE)
    act(lambda: services.cancel_registration(registration, by=holder))
    return [
        row("registration.cancelled", holder, registration, holder, by="self"),
        row("waiting_list.passed_over", None, skipped, unvalidated, reason="record_not_validated"),
        row("waiting_list.offered", None, next_entry, after),
    ]


def registered_from_the_line_at_once(w, act):
    person = make_pupil(w)
    _slot, holder, registration, [entry] = full_slot(w, person)
    Site.objects.filter(pk=w.site.pk).update(waiting_list_claim_hours=0)
    try:
        act(lambda: services.cancel_registration(registration, by=holder))
    finally:
        Site.objects.filter(pk=w.site.pk).update(waiting_list_claim_hours=24)
    created = Registration.objects.get(slot=entry.slot, person=person)
    return [
        row("registration.cancelled", holder, registration, holder, by="self"),
        row("registration.created", None, created, person, by="waiting_list", from_waiting_list=True),
        row("waiting_list.promoted", None, entry, person, registration=created.pk),
    ]


def line_closed_with_the_slot(w, act):
    person = make_pupil(w)
    slot, _holder, _registration, [entry] = full_slot(w, person)

    def close():
        with transaction.atomic():
            services.close_waiting_list(services.lock_slot(slot), by=w.structure_referent)

    act(close)
    return [row("waiting_list.left", w.structure_referent, entry, person, reason="slot_cancelled")]


# --- Groups, attendance, alerts, calendar ---------------------------------------------------


def group_slot(w):
    return make_slot(w, w.course, days=10, allows_group_registrations=True, group_places=30)


def group_created(w, act):
    slot, referent = group_slot(w), w.high_school_referent
    group = act(lambda: groups.register_group(slot, w.high_school, by=referent, pupils_count=12, **CONTACT))
    return [row("group.created", referent, group, by="high_school_referent", pupils_count=12)]


def group_refused(w, act):
    slot = group_slot(w)
    with pytest.raises(services.RegistrationRefused):
        act(lambda: groups.register_group(slot, w.high_school, by=w.high_school_referent, pupils_count=0, **CONTACT))
    return []


def group_cancelled(w, act):
    slot, referent = group_slot(w), w.high_school_referent
    group = groups.register_group(slot, w.high_school, by=referent, pupils_count=12, **CONTACT)
    act(lambda: groups.cancel_group_registration(group, by=referent))
    return [row("group.cancelled", referent, group, by="high_school_referent", pupils_count=12)]


def attendance_recorded_where_it_changes(w, act):
    slot = make_slot(w, w.course, days=-1)
    came, unchanged = (Registration.objects.create(site=w.site, slot=slot, person=make_pupil(w)) for _ in range(2))
    values = {came.pk: Attendance.PRESENT, unchanged.pk: Attendance.NOT_ENTERED}
    act(lambda: record_attendance(slot, values, by=w.structure_referent, site=w.site))
    change = {"attendance": [Attendance.NOT_ENTERED, Attendance.PRESENT]}
    return [row("attendance.recorded", w.structure_referent, came, came.person, changed=change)]


def attendance_refused(w, act):
    slot = make_slot(w, w.course, days=-1)
    registration = Registration.objects.create(site=w.site, slot=slot, person=make_pupil(w))
    with pytest.raises(ValidationError):
        act(lambda: record_attendance(slot, {registration.pk: "nonsense"}, by=w.structure_referent, site=w.site))
    return []


def course_alert_subscribed_once(w, act):
    pupil = make_pupil(w)
    alert = act(lambda: services.add_course_alert(w.course, pupil))
    assert services.add_course_alert(w.course, pupil) == alert  # the same one: no second row
    return [row("course_alert.created", pupil, alert, pupil)]


def course_alert_removed(w, act):
    pupil = make_pupil(w)
    alert = services.add_course_alert(w.course, pupil)
    assert act(lambda: services.remove_course_alert(w.course, pupil))
    assert not services.remove_course_alert(w.course, pupil)  # nothing more: no row
    return [row("course_alert.deleted", pupil, alert, pupil)]


def calendar_feed_created(w, act):
    pupil = make_pupil(w)
    feed = act(lambda: services.calendar_feed(w.site, pupil))
    assert services.calendar_feed(w.site, pupil) == feed  # found, not created: no row
    return [row("calendar_feed.created", pupil, feed, pupil)]


def calendar_feed_revoked(w, act):
    pupil = make_pupil(w)
    old = services.calendar_feed(w.site, pupil)
    act(lambda: services.revoke_calendar_feed(w.site, pupil))
    return [row("calendar_feed.revoked", pupil, old, pupil)]


CASES = [
    registered_by_self,
    registered_by_high_school_referent,
    registered_by_a_manager_past_a_restriction,
    refused_registration,
    cancelled_by_self_with_a_reason,
    refused_cancellation,
    cancelled_in_a_batch,
    a_refused_batch_cancels_nothing,
    joined,
    left,
    place_offered_when_a_registration_is_cancelled,
    offer_declined_goes_to_the_next,
    offer_claimed,
    offer_used_by_registering,
    offer_expired_goes_to_the_next,
    passed_over_with_the_reason,
    registered_from_the_line_at_once,
    line_closed_with_the_slot,
    group_created,
    group_refused,
    group_cancelled,
    attendance_recorded_where_it_changes,
    attendance_refused,
    course_alert_subscribed_once,
    course_alert_removed,
    calendar_feed_created,
    calendar_feed_revoked,
]


def test_each_write_of_the_engine_leaves_its_rows_and_a_refusal_none(in_site):
    w, act = in_site, Act()
    for case in CASES:
        expected = case(w, act)
        found = list(ActionLog.objects.filter(pk__gt=act.since).order_by("pk"))
        got = [
            (r.action, r.actor_id, (r.object_type, r.object_id), r.subject_id, {k: r.data.get(k) for k in e[4]})
            for r, e in zip(found, expected, strict=False)
        ]
        want = [
            (action, actor and actor.pk, (obj._meta.label_lower, str(obj.pk)), subject and subject.pk, data)
            for action, actor, obj, subject, data in expected
        ]
        assert len(found) == len(expected) and got == want, case.__name__
        for entry in found:
            assert entry.site_id == w.site.pk, case.__name__
            if entry.object_type != "registrations.calendarfeed":  # the offer's owner reads the rows of its offer
                assert entry.establishment_id == w.master.pk, case.__name__


def test_the_admin_records_attendance_and_stops_feeds_through_the_services(client, world):
    w = world
    client.force_login(w.master_referent)
    with for_site(w.site):
        came = Registration.objects.create(site=w.site, slot=make_slot(w, w.course, days=-1), person=make_pupil(w))
        feed = services.calendar_feed(w.site, w.pupil)
        since = ActionLog.objects.order_by("-pk").values_list("pk", flat=True).first()

    def set_attendance(registration, value):
        url = admin_url(Registration, "change", registration.pk)
        return client.post(url, with_values(form_data(client.get(url), Registration), attendance=value))

    assert set_attendance(came, Attendance.PRESENT).status_code == 302
    refused = set_attendance(w.registration, Attendance.PRESENT)  # its slot has not started
    assert refused.status_code == 200 and b"errornote" in refused.content
    assert client.post(admin_url(CalendarFeed, "delete", feed.pk), {"post": "yes"}).status_code == 302
    with for_site(w.site):
        found = ActionLog.objects.filter(pk__gt=since).order_by("pk")
        rows = [(r.action, r.actor_id, r.subject_id, r.object_id) for r in found]
        came.refresh_from_db()
        assert not CalendarFeed.objects.filter(pk=feed.pk).exists()
        assert Registration.objects.get(pk=w.registration.pk).attendance == Attendance.NOT_ENTERED
    assert rows == [
        ("registrations.attendance.recorded", w.master_referent.pk, came.person_id, str(came.pk)),
        ("registrations.calendar_feed.revoked", w.master_referent.pk, w.pupil.pk, str(feed.pk)),
    ]
    assert (came.attendance, came.attendance_recorded_by_id) == (Attendance.PRESENT, w.master_referent.pk)
