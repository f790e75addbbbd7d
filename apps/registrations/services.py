"""Write side of registrations: the one registration engine every caller goes through.

Pupils, high-school referents, managers, the admin, the API and the commands all register
and cancel through these functions; the rules themselves are in :mod:`.rules`.

Locking (the one rule that keeps capacity exact under load): a transaction locks rows in
this order — slot rows (ascending id), then person rows (several at once in ascending id:
:func:`lock_people`, as the waiting list does), then registrations / waiting-list entries.
Every mutation of a slot's registrations, counters or waiting list holds its slot's row lock,
so the decision taken under it is final. The counter update is also conditional
(``taken < places``) and guarded by database constraints (one active registration per person
and slot, ``taken <= places``), so that even a code path that forgot the lock could not
overbook. On SQLite, transactions are ``IMMEDIATE`` (see settings): writers queue, and the
same code stays correct.

Every change a registrant sees leaves its row in the action log (:mod:`.log`), in the same
transaction: registration created (how: self, high-school referent, manager, waiting list;
the rules forced) or cancelled (by whom, the reason; one row per registration of a batch);
waiting list joined, left, place offered, offer claimed, declined or expired, passed over
(the reason), registered from the line; course alerts; calendar feeds. The engine's own moves
(the line served, offers expired) have no actor. The query counts of this path are pinned in
``tests/registrations/test_write_path_queries.py``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role, RoleAssignment
from apps.audit.services import log_action
from apps.catalogue.models import Slot
from apps.notifications.services import send_message
from apps.tenancy.scoping import for_site

from . import rules
from .log import BY_AUTHORITY, by_kind, log
from .messages import notify_disability
from .models import CalendarFeed, CourseAlert, Registration, Status, WaitingListEntry, WaitingStatus
from .rules import Authority, Code, Decision


class RegistrationRefused(Exception):
    """The engine said no. ``decision`` holds every reason, translated."""

    def __init__(self, decision: Decision):
        self.decision = decision
        super().__init__(decision.message)

    @property
    def message(self):
        return self.decision.message


class CancellationRefused(Exception):
    pass


# --- Locks ---------------------------------------------------------------------------------


def lock_slot(slot_or_pk) -> Slot:
    """Re-read a slot under its row lock (with what the rules read), inside the caller's transaction."""
    pk = getattr(slot_or_pk, "pk", slot_or_pk)
    return (
        Slot.objects.select_for_update(of=("self",))
        .select_related("site", "period", "course__training__structure", "event")
        .get(pk=pk)
    )


def lock_person(person):
    get_user_model().objects.select_for_update().filter(pk=person.pk).order_by().values_list("pk", flat=True).first()


def lock_people(person_ids):
    """Lock several person rows at once, in ascending id order (the documented lock order)."""
    ids = sorted(set(person_ids))
    if ids:
        list(
            get_user_model().objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        )


def _after_commit(key, to, site, context):
    transaction.on_commit(lambda: send_message(key, to=to, site=site, context=context))


# --- Registering -----------------------------------------------------------------------------


def register(slot, person, *, by, force=(), notify=True) -> Registration:
    """Register ``person`` on ``slot`` on behalf of ``by``, or raise :class:`RegistrationRefused`.

    ``force``: rule codes to force past (honoured only within ``by``'s authority, recorded on
    the registration). A repeated submission finds the first one and is refused with
    ``Code.ALREADY_REGISTERED``: a double click never makes two registrations.
    """
    _pass_on_expired_offers(slot)
    with transaction.atomic():
        locked = lock_slot(slot)
        now = timezone.now()
        _expire_slot_offers(locked, now)
        lock_person(person)
        decision = rules.evaluate(locked, person, by=by, site=locked.site, now=now, force=force)
        registration = _register_locked(locked, person, decision, by=by, actor=by, now=now)
        if notify:
            _after_commit(
                "registration_confirmed",
                person,
                locked.site,
                {"registration": registration, "slot": locked, "by_someone_else": by.pk != person.pk},
            )
    return registration


def _register_locked(locked, person, decision, *, by, actor, now, claiming=None) -> Registration:
    """Write the registration ``decision`` allows (slot and person locked by the caller, the
    decision taken under those locks): the counter, the row, the person's waiting-list entry,
    the log. ``claiming``: the entry being served (an offer claimed, or the line served at once
    by the engine, ``actor`` None). Raises :class:`RegistrationRefused`; call it inside a
    savepoint when the caller goes on after a refusal."""
    if not decision.allowed:
        raise RegistrationRefused(decision)
    entry = decision.waiting_entry  # the person's live entry on the slot (read under the lock)
    holds_offer = entry is not None and entry.status == WaitingStatus.OFFERED and entry.offer_expires_at > now
    updated = Slot.objects.filter(pk=locked.pk, individual_places_taken__lt=F("individual_places")).update(
        individual_places_taken=F("individual_places_taken") + 1
    )
    if not updated:  # cannot happen under the lock; the conditional update is the second guard
        raise RegistrationRefused(
            Decision(authority=decision.authority, refusals=[rules.Refusal(Code.FULL, _("This slot is full."))])
        )
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                site=locked.site,
                slot=locked,
                person=person,
                registered_by=by,
                overrides=list(decision.forced),
                from_waiting_list=claiming is not None or holds_offer,
            )
    except IntegrityError:  # the unique constraint: already registered (a path without the lock)
        already = Decision(
            authority=decision.authority,
            record=decision.record,
            refusals=[rules.Refusal(Code.ALREADY_REGISTERED, _("Already registered on this slot."))],
        )
        raise RegistrationRefused(rules.as_seen_by(already, by, locked.site)) from None
    locked.individual_places_taken += 1  # what the update wrote (the rules read it on this object)
    data = {"by": "waiting_list" if claiming is not None and actor is None else BY_AUTHORITY[decision.authority]}
    if decision.forced:
        data["forced"] = list(decision.forced)
    if registration.from_waiting_list:
        data["from_waiting_list"] = True
    log("registrations.registration.created", locked, actor=actor, obj=registration, subject=person, data=data)
    if entry is not None:
        entry.slot, entry.person = locked, person  # for the log's label
        # The entry served becomes the registration; any other live entry of the person is left:
        # an offer they held is used up (it must not keep holding a second place for them).
        if claiming is not None or holds_offer:
            changes = {"status": WaitingStatus.PROMOTED, "closed_at": now, "registration": registration}
            action = "claimed" if entry.status == WaitingStatus.OFFERED else "promoted"
            log_data = {"registration": registration.pk}
        else:
            changes = {"status": WaitingStatus.WITHDRAWN, "closed_at": now}
            action, log_data = "left", {"reason": "registered"}
        WaitingListEntry.objects.filter(pk=entry.pk).update(**changes)
        log(f"registrations.waiting_list.{action}", locked, actor=actor, obj=entry, subject=person, data=log_data)
        for name, value in changes.items():
            setattr(entry, name, value)
    notify_disability(registration, record=decision.record)
    return registration


# --- Cancelling ------------------------------------------------------------------------------


def _free_place(registration, *, by, reason, now):
    updated = Registration.objects.filter(pk=registration.pk, status=Status.ACTIVE).update(
        status=Status.CANCELLED, cancelled_at=now, cancelled_by=by, cancellation_reason=reason
    )
    if updated:
        Slot.objects.filter(pk=registration.slot_id, individual_places_taken__gt=0).update(
            individual_places_taken=F("individual_places_taken") - 1
        )
    return bool(updated)


def _tell_organisers_of_late_cancellation(registration, slot, now):
    """Speakers and structure referents hear of a cancellation made after registrations closed."""
    closes, _cancellation = rules.effective_deadlines(slot)
    if now <= closes:
        return
    recipients = {u.pk: u for u in slot.speakers.all()}
    structure_id = slot.course.training.structure_id if slot.course_id else slot.event.structure_id
    if structure_id:
        for assignment in RoleAssignment.objects.filter(
            site=slot.site, role=Role.STRUCTURE_REFERENT, structure_id=structure_id
        ).select_related("user"):
            recipients[assignment.user_id] = assignment.user
    for user in recipients.values():
        _after_commit(
            "registration_cancelled_late",
            user,
            slot.site,
            {"registration": registration, "slot": slot, "person": registration.person},
        )


def cancel_registration(registration, *, by=None, reason=None, notify=True, check=False, promote=True, _slot=None):
    """Cancel an active registration and free its place; the place goes to the waiting list.

    ``check``: apply the cancellation rules for ``by`` (deadline, rights) and raise
    :class:`CancellationRefused` with the reason; services acting for the platform (slot
    cancelled, documents expired) skip them. Idempotent: returns False when already cancelled.
    ``_slot``: the slot, already locked by the caller in this transaction (a batch).
    """
    with transaction.atomic():
        slot = _slot if _slot is not None else lock_slot(registration.slot_id)
        registration = Registration.objects.select_related("person").get(pk=registration.pk)
        registration.slot = slot
        now = timezone.now()
        if registration.status != Status.ACTIVE:
            return False
        if check:
            problem = rules.cancellation_problem(registration, by=by, site=slot.site, now=now)
            if problem:
                raise CancellationRefused(problem)
        if not _free_place(registration, by=by, reason=reason, now=now):
            return False
        # What the update wrote (no second read of the row).
        registration.status, registration.cancelled_at = Status.CANCELLED, now
        registration.cancelled_by, registration.cancellation_reason = by, reason
        log(
            "registrations.registration.cancelled",
            slot,
            actor=by,
            obj=registration,
            subject=registration.person,
            data={"by": by_kind(by, slot, registration.person), "reason": reason},
        )
        if notify:
            _after_commit(
                "registration_cancelled",
                registration.person,
                slot.site,
                {"registration": registration, "slot": slot, "reason": reason},
            )
            if by is None or by.pk == registration.person_id or check:
                _tell_organisers_of_late_cancellation(registration, slot, now)
        if promote and slot.cancelled_at is None:
            fill_from_waiting_list(slot, now=now, locked=True)
    return True


def cancel_registrations(registrations, *, by, reason=None, check=True) -> tuple[int, list[str]]:
    """Cancel several registrations (a manager's batch). Returns (cancelled, problems). Slots are
    locked in ascending order, one transaction for the lot: all or nothing per call.
    """
    cancelled, problems = 0, []
    with transaction.atomic():
        registrations = sorted(registrations, key=lambda r: (r.slot_id, r.pk))
        # Every slot first, in ascending order: promotions on one slot lock people, and no slot
        # may be locked after a person (the lock order above).
        slot_ids = sorted({r.slot_id for r in registrations})
        slots = {slot_id: lock_slot(slot_id) for slot_id in slot_ids}
        # ...then everyone in their lines at once: the promotions slot after slot lock nobody new.
        lock_people(
            WaitingListEntry.objects.filter(slot_id__in=slot_ids, status=WaitingStatus.WAITING).values_list(
                "person_id", flat=True
            )
        )
        for registration in registrations:
            try:
                slot = slots[registration.slot_id]
                if cancel_registration(registration, by=by, reason=reason, check=check, _slot=slot):
                    cancelled += 1
            except CancellationRefused as refused:
                problems.append(f"{registration.person}: {refused}")
        if problems:
            transaction.set_rollback(True)
            cancelled = 0
    return cancelled, problems


# --- Waiting list ----------------------------------------------------------------------------


def join_waiting_list(slot, person, *, by) -> WaitingListEntry:
    """Put a person in line for a full slot. Refused (with the reasons) unless "full" is the only one."""
    _pass_on_expired_offers(slot)
    with transaction.atomic():
        locked = lock_slot(slot)
        now = timezone.now()
        _expire_slot_offers(locked, now)
        lock_person(person)
        decision = rules.evaluate(locked, person, by=by, site=locked.site, now=now)
        if not decision.may_join_waiting_list:
            if decision.waiting_entry is not None:  # a repeated submission, or an offer already made
                decision.refusals = [rules.Refusal("already_waiting", _("You are already on the waiting list."))]
            elif decision.allowed:
                decision.refusals = [rules.Refusal("not_full", _("Places are free on this slot: register directly."))]
            elif decision.is_full_only and not locked.site.waiting_list_enabled:
                decision.refusals = [rules.Refusal("no_waiting_list", _("This site has no waiting list."))]
            raise RegistrationRefused(decision)
        entry = WaitingListEntry.objects.create(site=locked.site, slot=locked, person=person, joined_at=now)
        log("registrations.waiting_list.joined", locked, actor=by, obj=entry, subject=person)
        _after_commit("waiting_list_joined", person, locked.site, {"entry": entry, "slot": locked})
    return entry


def leave_waiting_list(entry, *, by=None) -> bool:
    """Leave the line (or decline an offer, which goes to the next person)."""
    with transaction.atomic():
        slot = lock_slot(entry.slot_id)
        now = timezone.now()
        current = WaitingListEntry.objects.select_related("person").filter(pk=entry.pk).first()
        if current is None or current.status not in rules.LIVE_WAITING_STATUSES:
            if current is not None:  # what the first submission did, for the caller's message
                entry.status, entry.closed_at = current.status, current.closed_at
                entry.registration_id = current.registration_id
            return False
        WaitingListEntry.objects.filter(pk=entry.pk).update(status=WaitingStatus.WITHDRAWN, closed_at=now)
        current.slot = slot
        action = "declined" if current.status == WaitingStatus.OFFERED else "left"
        log(f"registrations.waiting_list.{action}", slot, actor=by, obj=current, subject=current.person)
        if current.status == WaitingStatus.OFFERED:
            fill_from_waiting_list(slot, now=now, locked=True)
        entry.status, entry.closed_at = WaitingStatus.WITHDRAWN, now
    return True


def waiting_position(entry) -> int:
    """1-based position of a waiting entry in its slot's line."""
    return (
        WaitingListEntry.objects.filter(
            slot_id=entry.slot_id, status=WaitingStatus.WAITING, joined_at__lte=entry.joined_at
        )
        .exclude(joined_at=entry.joined_at, pk__gt=entry.pk)
        .count()
    )


def claim_offer(entry, *, by) -> Registration:
    """The offered person takes the place held for them (before the offer expires).

    Idempotent from the person's side: a repeated claim (a double click, a second tab) waits for
    the first one under the slot's lock, then finds the person registered on the slot and returns
    that registration (no second e-mail), rather than calling the used offer "expired".
    """
    with transaction.atomic():
        slot = lock_slot(entry.slot_id)
        person = get_user_model().objects.select_for_update().get(pk=entry.person_id)  # read and locked at once
        locked_entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
        now = timezone.now()
        if locked_entry.status != WaitingStatus.OFFERED or locked_entry.offer_expires_at <= now:
            registered = Registration.objects.filter(slot=slot, person_id=entry.person_id, status=Status.ACTIVE).first()
            if registered is not None:
                entry.refresh_from_db()
                return registered
            raise RegistrationRefused(
                Decision(
                    authority=Authority.SELF,
                    refusals=[rules.Refusal("offer_expired", _("This offer has expired or was already used."))],
                )
            )
        _expire_slot_offers(slot, now)
        decision = rules.evaluate(slot, person, by=by, site=slot.site, now=now, claiming=locked_entry)
        registration = _register_locked(slot, person, decision, by=by, actor=by, now=now, claiming=locked_entry)
        _after_commit(
            "registration_confirmed",
            person,
            slot.site,
            {"registration": registration, "slot": slot, "from_waiting_list": True},
        )
    # What the claim wrote (no second read of the row).
    entry.status, entry.closed_at, entry.registration = locked_entry.status, now, registration
    return registration


def _pass_on_expired_offers(slot):
    """Before a registration is decided: an expired offer on the slot passes its place on to the
    next in line, in its own transaction (kept even if the registration is then refused)."""
    pk = getattr(slot, "pk", slot)
    if WaitingListEntry.objects.filter(
        slot_id=pk, status=WaitingStatus.OFFERED, offer_expires_at__lte=timezone.now()
    ).exists():
        fill_from_waiting_list(pk)


def _expire_slot_offers(slot, now) -> int:
    """Close the slot's expired offers (slot locked by the caller), a log row each. Returns how many."""
    expired = list(
        WaitingListEntry.objects.filter(
            slot=slot, status=WaitingStatus.OFFERED, offer_expires_at__lte=now
        ).select_related("person")
    )
    if expired:
        WaitingListEntry.objects.filter(pk__in=[e.pk for e in expired]).update(
            status=WaitingStatus.EXPIRED, closed_at=now
        )
    for entry in expired:
        entry.slot = slot
        data = {"offer_expires_at": entry.offer_expires_at}
        log("registrations.waiting_list.expired", slot, actor=None, obj=entry, subject=entry.person, data=data)
    return len(expired)


def _pass_over(slot, entry, code, now):
    """The first in line is no longer eligible: they leave the line, with the reason (``code``)."""
    WaitingListEntry.objects.filter(pk=entry.pk).update(
        status=WaitingStatus.SKIPPED, closed_at=now, skip_reason=code[:40]
    )
    entry.status, entry.closed_at, entry.skip_reason = WaitingStatus.SKIPPED, now, code[:40]
    data = {"reason": code}
    log("registrations.waiting_list.passed_over", slot, actor=None, obj=entry, subject=entry.person, data=data)


def fill_from_waiting_list(slot, *, now=None, locked=False) -> list[WaitingListEntry]:
    """Give the slot's free places to the people in line, first come first served.

    Each freed place goes to the first person still eligible: registered at once when the
    site gives no time to claim (``waiting_list_claim_hours == 0``), else offered the place
    until a deadline. People no longer eligible when their turn comes are passed over (with
    the reason). Returns the entries promoted or offered. Runs under the slot's lock.
    """
    if not locked:
        with transaction.atomic():
            return fill_from_waiting_list(lock_slot(slot), now=now, locked=True)
    now = now or timezone.now()
    site = slot.site
    _expire_slot_offers(slot, now)
    served = []
    if not site.waiting_list_enabled or slot.cancelled_at is not None:
        return served
    waiting = list(
        WaitingListEntry.objects.filter(slot=slot, status=WaitingStatus.WAITING).values_list("person_id", flat=True)
    )
    if not waiting:  # nobody in line: nothing to count
        return served
    slot.refresh_from_db(fields=["individual_places", "individual_places_taken"])
    free = slot.individual_places - slot.individual_places_taken - rules.live_offers(slot, now)
    if free > 0:
        # Everyone in line at once, in ascending id order: never one person after another.
        lock_people(waiting)
    # Under the locks only this loop changes the places: it counts them down (no second read).
    while free > 0:
        entry = (
            WaitingListEntry.objects.filter(slot=slot, status=WaitingStatus.WAITING)
            .select_related("person")
            .order_by("joined_at", "pk")
            .first()
        )
        if entry is None:
            break
        entry.slot = slot
        person = entry.person
        decision = rules.evaluate(slot, person, by=person, site=site, now=now, claiming=entry)
        if decision.allowed and site.waiting_list_claim_hours == 0:
            try:
                with transaction.atomic():  # a refusal undoes the counter, and the line goes on
                    registration = _register_locked(
                        slot, person, decision, by=person, actor=None, now=now, claiming=entry
                    )
            except RegistrationRefused as refused:
                decision = refused.decision
        if not decision.allowed:
            _pass_over(slot, entry, (decision.codes or ["refused"])[0], now)
            continue
        if site.waiting_list_claim_hours == 0:
            key, context = "waiting_list_promoted", {"registration": registration}
        else:
            expires = now + dt.timedelta(hours=site.waiting_list_claim_hours)
            expires = min(expires, rules.slot_start(slot))
            WaitingListEntry.objects.filter(pk=entry.pk).update(
                status=WaitingStatus.OFFERED, offered_at=now, offer_expires_at=expires
            )
            entry.status, entry.offered_at, entry.offer_expires_at = WaitingStatus.OFFERED, now, expires
            data = {"offer_expires_at": expires}
            log("registrations.waiting_list.offered", slot, actor=None, obj=entry, subject=person, data=data)
            key, context = "waiting_list_offer", {"offer_expires_at": expires}
        served.append(entry)
        free -= 1
        _after_commit(key, entry.person, site, {"entry": entry, "slot": slot, **context})
    return served


def process_waiting_lists(now=None, *, site=None) -> int:
    """Expire overdue offers and fill free places on every upcoming slot with people in line.

    The catch-up job (a command, later a scheduled task): safe to run any number of times.
    Runs in the active site scope, or for ``site`` when given. Returns the number of entries
    promoted or offered.
    """
    if site is not None:
        with for_site(site):
            return process_waiting_lists(now)
    now = now or timezone.now()
    slot_ids = (
        WaitingListEntry.objects.filter(status__in=(WaitingStatus.WAITING, WaitingStatus.OFFERED))
        .filter(slot__date__gte=timezone.localdate(now), slot__cancelled_at__isnull=True)
        .values_list("slot_id", flat=True)
        .distinct()
    )
    served = 0
    for slot_id in sorted(set(slot_ids)):
        with transaction.atomic():
            served += len(fill_from_waiting_list(lock_slot(slot_id), now=now, locked=True))
    return served


def close_waiting_list(slot, now=None, *, by=None):
    """A cancelled slot's line is closed (slot locked by the caller; ``by``: who cancelled it)."""
    now = now or timezone.now()
    entries = list(
        WaitingListEntry.objects.filter(slot=slot, status__in=rules.LIVE_WAITING_STATUSES).select_related("person")
    )
    if entries:
        WaitingListEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
            status=WaitingStatus.WITHDRAWN, closed_at=now
        )
    for entry in entries:
        entry.slot = slot
        data = {"reason": "slot_cancelled", "status": entry.status}
        log("registrations.waiting_list.left", slot, actor=by, obj=entry, subject=entry.person, data=data)


# --- Course alerts -----------------------------------------------------------------------------


def add_course_alert(course, person):
    """ "Tell me when a new slot opens": one pending alert per person and course (idempotent)."""
    with transaction.atomic():
        alert, created = CourseAlert.objects.get_or_create(
            site=course.site, course=course, person=person, notified_at=None
        )
        if created:
            log("registrations.course_alert.created", course, actor=person, obj=alert, subject=person)
    return alert


def remove_course_alert(course, person) -> bool:
    with transaction.atomic():
        alerts = list(CourseAlert.objects.filter(course=course, person=person, notified_at__isnull=True))
        for alert in alerts:  # logged before the row goes
            alert.course, alert.person = course, person
            log("registrations.course_alert.deleted", course, actor=person, obj=alert, subject=person)
        if alerts:
            CourseAlert.objects.filter(pk__in=[a.pk for a in alerts]).delete()
    return bool(alerts)


def notify_course_alerts(slot) -> int:
    """A slot of the course was published: tell each person waiting for one, once."""
    now = timezone.now()
    alerts = list(
        CourseAlert.objects.filter(course_id=slot.course_id, notified_at__isnull=True).select_related("person")
    )
    if not alerts:
        return 0
    CourseAlert.objects.filter(pk__in=[a.pk for a in alerts], notified_at__isnull=True).update(notified_at=now)
    for alert in alerts:
        _after_commit("course_alert", alert.person, slot.site, {"slot": slot, "course": slot.course})
    return len(alerts)


# --- Calendar subscription -----------------------------------------------------------------------


def calendar_feed(site, person, *, create=True):
    """The person's secret calendar address on the site (created on first use)."""
    feed = CalendarFeed.objects.filter(site=site, person=person).first()
    if feed is None and create:
        try:
            with transaction.atomic():
                feed = CalendarFeed.objects.create(site=site, person=person)
                log_action("registrations.calendar_feed.created", site=site, actor=person, obj=feed, subject=person)
        except IntegrityError:  # created by another request at the same moment
            feed = CalendarFeed.objects.get(site=site, person=person)
    return feed


def calendar_feed_by_key(site, key):
    """The feed whose address carries this key, or None (found by the key's digest)."""
    if not key or len(key) > 100:
        return None
    return CalendarFeed.objects.filter(site=site, digest=CalendarFeed.digest_of(key)).select_related("person").first()


@transaction.atomic
def revoke_calendar_feed(site, person):
    """Replace the secret: the old address stops working at once. Returns the new feed."""
    old = CalendarFeed.objects.filter(site=site, person=person).first()
    if old is not None:  # logged before the row goes (the secret is never logged)
        log_action("registrations.calendar_feed.revoked", site=site, actor=person, obj=old, subject=person)
        old.delete()
    feed = CalendarFeed.objects.create(site=site, person=person)
    if old is None:
        log_action("registrations.calendar_feed.created", site=site, actor=person, obj=feed, subject=person)
    return feed


@transaction.atomic
def delete_calendar_feed(feed, *, by):
    """Stop someone's feed (the admin's deletion): its address stops working at once; the person
    gets a new one on their next visit to their calendar page."""
    data = {"deleted": True}
    log_action(
        "registrations.calendar_feed.revoked", site=feed.site, actor=by, obj=feed, subject=feed.person, data=data
    )
    feed.delete()
