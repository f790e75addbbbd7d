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
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.catalogue.models import Slot
from apps.notifications.services import send_message

from . import rules
from .messages import notify_disability
from .models import Registration, Status, WaitingListEntry, WaitingStatus
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


def register(slot, person, *, by, force=(), notify=True, _claiming=None) -> Registration:
    """Register ``person`` on ``slot`` on behalf of ``by``, or raise :class:`RegistrationRefused`.

    ``force``: rule codes to force past (honoured only within ``by``'s authority, recorded on
    the registration). A repeated submission finds the first one and is refused with
    ``Code.ALREADY_REGISTERED``: a double click never makes two registrations.
    """
    if _claiming is None:
        _pass_on_expired_offers(slot)
    with transaction.atomic():
        locked = lock_slot(slot)
        now = timezone.now()
        _expire_slot_offers(locked, now)
        lock_person(person)
        decision = rules.evaluate(locked, person, by=by, site=locked.site, now=now, force=force, claiming=_claiming)
        if not decision.allowed:
            raise RegistrationRefused(decision)
        entry = decision.waiting_entry
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
                    from_waiting_list=_claiming is not None or holds_offer,
                )
        except IntegrityError:  # the unique constraint: already registered (a path without the lock)
            already = Decision(
                authority=decision.authority,
                record=decision.record,
                refusals=[rules.Refusal(Code.ALREADY_REGISTERED, _("Already registered on this slot."))],
            )
            raise RegistrationRefused(rules.as_seen_by(already, by, locked.site)) from None
        # A person who registers leaves the slot's waiting list; an offer they held is used up
        # (it must not keep holding a second place for them).
        others = WaitingListEntry.objects.filter(slot=locked, person=person, status__in=rules.LIVE_WAITING_STATUSES)
        if _claiming is not None:
            others = others.exclude(pk=_claiming.pk)
        elif holds_offer:
            others.filter(pk=entry.pk).update(status=WaitingStatus.PROMOTED, closed_at=now, registration=registration)
        others.update(status=WaitingStatus.WITHDRAWN, closed_at=now)
        if notify:
            _after_commit(
                "registration_confirmed",
                person,
                locked.site,
                {"registration": registration, "slot": locked, "by_someone_else": by.pk != person.pk},
            )
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
    from apps.accounts.models import Role, RoleAssignment

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


def cancel_registration(registration, *, by=None, reason=None, notify=True, check=False, promote=True):
    """Cancel an active registration and free its place; the place goes to the waiting list.

    ``check``: apply the cancellation rules for ``by`` (deadline, rights) and raise
    :class:`CancellationRefused` with the reason; services acting for the platform (slot
    cancelled, documents expired) skip them. Idempotent: returns False when already cancelled.
    """
    with transaction.atomic():
        slot = lock_slot(registration.slot_id)
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
        registration.refresh_from_db()
        registration.slot = slot
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
        for slot_id in slot_ids:
            lock_slot(slot_id)
        # ...then everyone in their lines at once: the promotions slot after slot lock nobody new.
        lock_people(
            WaitingListEntry.objects.filter(slot_id__in=slot_ids, status=WaitingStatus.WAITING).values_list(
                "person_id", flat=True
            )
        )
        for registration in registrations:
            try:
                if cancel_registration(registration, by=by, reason=reason, check=check):
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
        _after_commit("waiting_list_joined", person, locked.site, {"entry": entry, "slot": locked})
    return entry


def leave_waiting_list(entry, *, by=None) -> bool:
    """Leave the line (or decline an offer, which goes to the next person)."""
    with transaction.atomic():
        slot = lock_slot(entry.slot_id)
        now = timezone.now()
        status = WaitingListEntry.objects.filter(pk=entry.pk).values_list("status", flat=True).first()
        updated = WaitingListEntry.objects.filter(
            pk=entry.pk, status__in=(WaitingStatus.WAITING, WaitingStatus.OFFERED)
        ).update(status=WaitingStatus.WITHDRAWN, closed_at=now)
        if updated and status == WaitingStatus.OFFERED:
            fill_from_waiting_list(slot, now=now, locked=True)
        entry.refresh_from_db()
    return bool(updated)


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
        lock_person(entry.person)
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
        registration = register(slot, entry.person, by=by, notify=False, _claiming=locked_entry)
        WaitingListEntry.objects.filter(pk=entry.pk).update(
            status=WaitingStatus.PROMOTED, closed_at=now, registration=registration
        )
        _after_commit(
            "registration_confirmed",
            entry.person,
            slot.site,
            {"registration": registration, "slot": slot, "from_waiting_list": True},
        )
    entry.refresh_from_db()
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
    """Close the slot's expired offers (slot locked by the caller). Returns how many."""
    expired = WaitingListEntry.objects.filter(slot=slot, status=WaitingStatus.OFFERED, offer_expires_at__lte=now)
    return expired.update(status=WaitingStatus.EXPIRED, closed_at=now)


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
    people_locked = False
    while True:
        slot.refresh_from_db(fields=["individual_places", "individual_places_taken"])
        free = slot.individual_places - slot.individual_places_taken - rules.live_offers(slot, now)
        if free <= 0:
            return served
        if not people_locked:
            # Everyone in line at once, in ascending id order: never one person after another.
            lock_people(
                WaitingListEntry.objects.filter(slot=slot, status=WaitingStatus.WAITING).values_list(
                    "person_id", flat=True
                )
            )
            people_locked = True
        entry = (
            WaitingListEntry.objects.filter(slot=slot, status=WaitingStatus.WAITING)
            .select_related("person")
            .order_by("joined_at", "pk")
            .first()
        )
        if entry is None:
            return served
        decision = rules.evaluate(slot, entry.person, by=entry.person, site=site, now=now, claiming=entry)
        if not decision.allowed:
            WaitingListEntry.objects.filter(pk=entry.pk).update(
                status=WaitingStatus.SKIPPED, closed_at=now, skip_reason=decision.codes[0][:40]
            )
            continue
        if site.waiting_list_claim_hours == 0:
            try:
                registration = register(slot, entry.person, by=entry.person, notify=False, _claiming=entry)
            except RegistrationRefused as refused:
                WaitingListEntry.objects.filter(pk=entry.pk).update(
                    status=WaitingStatus.SKIPPED, closed_at=now, skip_reason=(refused.decision.codes or ["refused"])[0]
                )
                continue
            WaitingListEntry.objects.filter(pk=entry.pk).update(
                status=WaitingStatus.PROMOTED, closed_at=now, registration=registration
            )
            key, context = "waiting_list_promoted", {"registration": registration}
        else:
            expires = now + dt.timedelta(hours=site.waiting_list_claim_hours)
            expires = min(expires, rules.slot_start(slot))
            WaitingListEntry.objects.filter(pk=entry.pk).update(
                status=WaitingStatus.OFFERED, offered_at=now, offer_expires_at=expires
            )
            key, context = "waiting_list_offer", {"offer_expires_at": expires}
        entry.refresh_from_db()
        served.append(entry)
        _after_commit(key, entry.person, site, {"entry": entry, "slot": slot, **context})


def process_waiting_lists(now=None, *, site=None) -> int:
    """Expire overdue offers and fill free places on every upcoming slot with people in line.

    The catch-up job (a command, later a scheduled task): safe to run any number of times.
    Runs in the active site scope, or for ``site`` when given. Returns the number of entries
    promoted or offered.
    """
    if site is not None:
        from apps.tenancy.scoping import for_site

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


def close_waiting_list(slot, now=None):
    """A cancelled slot's line is closed (slot locked by the caller)."""
    now = now or timezone.now()
    WaitingListEntry.objects.filter(slot=slot, status__in=(WaitingStatus.WAITING, WaitingStatus.OFFERED)).update(
        status=WaitingStatus.WITHDRAWN, closed_at=now
    )


# --- Course alerts -----------------------------------------------------------------------------


def add_course_alert(course, person):
    """ "Tell me when a new slot opens": one pending alert per person and course (idempotent)."""
    from .models import CourseAlert

    with transaction.atomic():
        alert, _created = CourseAlert.objects.get_or_create(
            site=course.site, course=course, person=person, notified_at=None
        )
    return alert


def remove_course_alert(course, person) -> bool:
    from .models import CourseAlert

    deleted, _rows = CourseAlert.objects.filter(course=course, person=person, notified_at__isnull=True).delete()
    return bool(deleted)


def notify_course_alerts(slot) -> int:
    """A slot of the course was published: tell each person waiting for one, once."""
    from .models import CourseAlert

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
    from .models import CalendarFeed

    feed = CalendarFeed.objects.filter(site=site, person=person).first()
    if feed is None and create:
        try:
            with transaction.atomic():
                feed = CalendarFeed.objects.create(site=site, person=person)
        except IntegrityError:  # created by another request at the same moment
            feed = CalendarFeed.objects.get(site=site, person=person)
    return feed


def calendar_feed_by_key(site, key):
    """The feed whose address carries this key, or None (found by the key's digest)."""
    from .models import CalendarFeed

    if not key or len(key) > 100:
        return None
    return CalendarFeed.objects.filter(site=site, digest=CalendarFeed.digest_of(key)).select_related("person").first()


@transaction.atomic
def revoke_calendar_feed(site, person):
    """Replace the secret: the old address stops working at once. Returns the new feed."""
    from .models import CalendarFeed

    CalendarFeed.objects.filter(site=site, person=person).delete()
    return CalendarFeed.objects.create(site=site, person=person)
