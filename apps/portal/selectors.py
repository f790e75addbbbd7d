"""Read side of the public portal.

Every function takes the current site and filters on it explicitly, on top of the
django-scopes scope that a request activates: called in the wrong scope, it returns
nothing rather than another site's rows. Each one runs a fixed number of queries,
whatever the size of the offer, and returns plain values (no model instances), so a
template cannot trigger further queries nor reach personal data such as speakers.
"""

from dataclasses import dataclass
from datetime import date, time

from django.db.models import Count, Q
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.organisations.models import Establishment, HighSchool

HOME_UPCOMING_SLOTS = 6


@dataclass(frozen=True)
class HomeFigures:
    courses: int
    slots: int
    establishments: int
    high_schools: int


@dataclass(frozen=True)
class UpcomingSlot:
    label: str
    is_event: bool
    date: date
    start_time: time
    end_time: time
    place: str
    place_label: str
    establishment: str
    places_left: int | None  # None: no individual registrations on this slot


def _visible(prefix, today):
    """Published, inside its publication window (``prefix`` is ``course`` or ``event``)."""
    return (
        Q(**{f"{prefix}__published": True})
        & (Q(**{f"{prefix}__publication_start__isnull": True}) | Q(**{f"{prefix}__publication_start__lte": today}))
        & (Q(**{f"{prefix}__publication_end__isnull": True}) | Q(**{f"{prefix}__publication_end__gte": today}))
    )


def upcoming_public_slots(site):
    """Published, not cancelled slots still to come whose course (of an active training) or event is visible today."""
    now = timezone.localtime()
    today = now.date()
    return Slot.objects.filter(
        Q(date__gt=today) | Q(date=today, start_time__gt=now.time()),
        (_visible("course", today) & Q(course__training__is_active=True)) | _visible("event", today),
        site=site,
        published=True,
        cancelled_at__isnull=True,
    )


def home_figures(site):
    """Live figures of the site's offer, in three queries."""
    today = timezone.localdate()
    slots = upcoming_public_slots(site).aggregate(slots=Count("pk"), courses=Count("course", distinct=True))
    establishments = Establishment.objects.filter(site=site, is_active=True).count()
    high_schools = (
        HighSchool.objects.filter(site=site, is_active=True, agreement_start__lte=today)
        .filter(Q(agreement_end__isnull=True) | Q(agreement_end__gte=today))
        .count()
    )
    return HomeFigures(
        courses=slots["courses"],
        slots=slots["slots"],
        establishments=establishments,
        high_schools=high_schools,
    )


def _establishment_name(slot):
    if slot.course_id:
        training = slot.course.training
        owner = training.structure.establishment if training.structure_id else training.high_school
    else:
        owner = slot.event.establishment or slot.event.high_school
    if owner is None and slot.campus_id:
        owner = slot.campus.establishment
    return owner.label if owner else ""


def next_slots(site, limit=HOME_UPCOMING_SLOTS):
    """The next ``limit`` upcoming public slots, in one query."""
    slots = (
        upcoming_public_slots(site)
        .select_related(
            "course__training__structure__establishment",
            "course__training__high_school",
            "event__establishment",
            "event__high_school",
            "campus__establishment",
        )
        .order_by("date", "start_time", "pk")[:limit]
    )
    return [
        UpcomingSlot(
            label=slot.offer_label,
            is_event=slot.event_id is not None,
            date=slot.date,
            start_time=slot.start_time,
            end_time=slot.end_time,
            place=slot.place,
            place_label=slot.get_place_display(),
            establishment=_establishment_name(slot),
            places_left=slot.individual_places_left if slot.allows_individual_registrations else None,
        )
        for slot in slots
    ]
