"""Read side of a registrant's own immersions: "my immersions" and the calendar feed.

Everything a row shows is read with a fixed number of queries whatever the number of
registrations: related rows are joined or prefetched, deadlines are computed from the
preloaded periods, waiting-list positions from one query over the lines concerned, and the
person's roles (for the cancellation rule) are read once and cached on the user.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import Slot
from apps.catalogue.selectors import effective_deadlines, slot_start

from . import rules
from .models import CourseAlert, Registration, Status, WaitingListEntry, WaitingStatus

#: Closed waiting-list entries stay listed this long after they closed.
CLOSED_WAITING_SHOWN_FOR = dt.timedelta(days=30)
CLOSED_WAITING_SHOWN_MAX = 10

SLOT_RELATED = (
    "course__training__structure",
    "course_type",
    "event__event_type",
    "campus",
    "building",
    "period",
    "place_high_school",
)


def _speakers():
    return Prefetch("slot__speakers", queryset=User.objects.order_by("last_name", "first_name"))


def registration_queryset(site):
    """A site's registrations with everything a row of "my immersions" shows."""
    return (
        Registration.objects.filter(site=site)
        .select_related(*(f"slot__{name}" for name in SLOT_RELATED), "cancellation_reason")
        .prefetch_related(_speakers())
    )


def slot_end(slot) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(slot.date, slot.end_time), timezone.get_default_timezone())


def describe_slot(slot):
    """Set display attributes on a slot whose relations are loaded: start, end, type, speakers."""
    slot.starts_at = slot_start(slot)
    slot.ends_at = slot_end(slot)
    slot.registration_closes_at, slot.cancellation_closes_at = effective_deadlines(slot)
    if slot.course_id:
        slot.training_label = slot.course.training.label
        slot.type_label = slot.course_type.label if slot.course_type_id else ""
    else:
        slot.training_label = ""
        slot.type_label = slot.event.event_type.label
    slot.speaker_names = [name for name in (s.get_full_name() for s in slot.speakers.all()) if name]
    return slot


def decorate(registration, user, site, now=None):
    """Set what a registration card shows: times, cancellation, remote link, certificate."""
    now = now or timezone.now()
    slot = describe_slot(registration.slot)
    active = registration.status == Status.ACTIVE
    registration.is_upcoming = active and now < slot.ends_at
    registration.is_in_progress = registration.is_upcoming and now >= slot.starts_at
    registration.cancel_problem = rules.cancellation_problem(registration, by=user, site=site, now=now)
    registration.can_cancel = registration.cancel_problem is None
    registration.remote_link_from = None
    registration.remote_link = ""
    if registration.is_upcoming and slot.place == Slot.Place.REMOTE and slot.remote_url:
        opens = slot.starts_at - dt.timedelta(minutes=site.remote_link_lead_minutes)
        if now >= opens:
            registration.remote_link = slot.remote_url
        else:
            registration.remote_link_from = opens
    registration.has_certificate = registration.attended and now >= slot.starts_at
    return registration


def _positions(entries):
    """{entry id: 1-based position} for waiting entries, from one query over their slots' lines."""
    slot_ids = {e.slot_id for e in entries if e.status == WaitingStatus.WAITING}
    if not slot_ids:
        return {}
    lines = defaultdict(list)
    rows = (
        WaitingListEntry.objects.filter(slot_id__in=slot_ids, status=WaitingStatus.WAITING)
        .order_by("slot_id", "joined_at", "pk")
        .values_list("slot_id", "pk")
    )
    for slot_id, pk in rows:
        lines[slot_id].append(pk)
    return {pk: index for line in lines.values() for index, pk in enumerate(line, start=1)}


@dataclass
class MyImmersions:
    upcoming: list = field(default_factory=list)
    past: list = field(default_factory=list)
    cancelled: list = field(default_factory=list)
    offers: list = field(default_factory=list)  # a place held for the person, to claim
    waiting: list = field(default_factory=list)  # in line, with a position
    closed_waiting: list = field(default_factory=list)  # recently out of line
    alerts: list = field(default_factory=list)

    @property
    def has_registrations(self):
        return bool(self.upcoming or self.past or self.cancelled)

    @property
    def has_waiting(self):
        return bool(self.offers or self.waiting or self.closed_waiting)


def my_immersions(site, user, now=None) -> MyImmersions:
    """Everything "my immersions" shows, in a fixed number of queries."""
    now = now or timezone.now()
    mine = MyImmersions()
    for registration in registration_queryset(site).filter(person=user):
        decorate(registration, user, site, now)
        if registration.status == Status.CANCELLED:
            mine.cancelled.append(registration)
        elif registration.is_upcoming:
            mine.upcoming.append(registration)
        else:
            mine.past.append(registration)
    mine.upcoming.sort(key=lambda r: (r.slot.starts_at, r.pk))
    mine.past.sort(key=lambda r: (r.slot.starts_at, r.pk), reverse=True)
    mine.cancelled.sort(key=lambda r: (r.cancelled_at, r.pk), reverse=True)

    entries = list(
        WaitingListEntry.objects.filter(site=site, person=user)
        .exclude(closed_at__lt=now - CLOSED_WAITING_SHOWN_FOR)
        .select_related(*(f"slot__{name}" for name in SLOT_RELATED))
        .prefetch_related(_speakers())
        .order_by("-joined_at", "-pk")
    )
    positions = _positions(entries)
    for entry in entries:
        describe_slot(entry.slot)
        entry.position = positions.get(entry.pk)
        entry.offer_open = entry.status == WaitingStatus.OFFERED and entry.offer_expires_at > now
        if entry.offer_open:
            mine.offers.append(entry)
        elif entry.status == WaitingStatus.WAITING and entry.slot.starts_at > now:
            mine.waiting.append(entry)
        elif len(mine.closed_waiting) < CLOSED_WAITING_SHOWN_MAX:
            mine.closed_waiting.append(entry)
    mine.offers.sort(key=lambda e: e.offer_expires_at)
    mine.waiting.sort(key=lambda e: (e.slot.starts_at, e.pk))

    mine.alerts = list(
        CourseAlert.objects.filter(site=site, person=user, notified_at__isnull=True)
        .select_related("course__training")
        .order_by("course__label", "pk")
    )
    return mine


def calendar_registrations(site, person, now=None, days_back=90):
    """Active registrations of the calendar feed: upcoming ones and those of the last ``days_back`` days."""
    now = now or timezone.now()
    since = timezone.localdate(now) - dt.timedelta(days=days_back)
    registrations = list(
        registration_queryset(site)
        .filter(person=person, status=Status.ACTIVE, slot__date__gte=since, slot__cancelled_at__isnull=True)
        .order_by("slot__date", "slot__start_time", "pk")
    )
    for registration in registrations:
        describe_slot(registration.slot)
    return registrations


# --- A slot's registrants, for the back office's slot list and slot page -------------------


def slot_list_queryset(base):
    """The slot list: everything a row shows, in a fixed number of queries whatever its length."""
    return (
        base.select_related(
            "course__training__structure",
            "course__training__high_school",
            "event__structure",
            "event__establishment",
            "event__high_school",
            "period",
            "campus",
            "building",
            "place_high_school",
        )
        .annotate(
            active_groups=Count("group_registrations", filter=Q(group_registrations__status=Status.ACTIVE)),
            fill_rate=Case(
                When(individual_places=0, then=Value(0)),
                default=F("individual_places_taken") * 100 / F("individual_places"),
                output_field=IntegerField(),
            ),
        )
        .order_by("date", "start_time", "pk")
    )


def registrants_count(slot) -> tuple[int, int]:
    """(active individual registrations, active group registrations) of a slot."""
    return (
        slot.registrations.filter(status=Status.ACTIVE).count(),
        slot.group_registrations.filter(status=Status.ACTIVE).count(),
    )
