"""Read side of the offer: slot deadlines, warnings and the public slot data.

Every function here reads with a fixed number of queries and returns plain values or
model instances with computed attributes. A slot's registrants (the back office's slot list and
page) are read by ``apps.registrations.selectors``, its writes are ``apps.registrations.slot_services``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.academic_calendar.models import Holiday, Period, Vacation

from .models import Slot

PLACE_FIELDS = ("place", "campus", "building", "room", "remote_url", "outside_address", "place_high_school")
WHEN_FIELDS = ("date", "start_time", "end_time")


# --- Deadlines --------------------------------------------------------------------------


def slot_start(slot) -> dt.datetime:
    """When the slot starts, as an aware datetime in the site's time zone (Europe/Paris)."""
    return timezone.make_aware(dt.datetime.combine(slot.date, slot.start_time), timezone.get_default_timezone())


def policy_deadlines(period: Period, start: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(registrations close, cancellations close) for a slot starting at ``start``, from its period.

    Period policy: registrations close with the period's registration window (never after the
    slot starts). Slot policy: N hours before the start. Cancellations always close
    ``cancellation_hours_before`` hours before the start.
    """
    if period.deadline_policy == Period.DeadlinePolicy.PERIOD:
        registration = min(period.registration_end, start)
    else:
        registration = start - dt.timedelta(hours=period.registration_hours_before)
    cancellation = start - dt.timedelta(hours=period.cancellation_hours_before)
    tz = timezone.get_default_timezone()
    return timezone.localtime(registration, tz), timezone.localtime(cancellation, tz)


def effective_deadlines(slot) -> tuple[dt.datetime, dt.datetime]:
    """(registrations close at, cancellations close at): the slot's own values, else its period's policy."""
    registration, cancellation = policy_deadlines(slot.period, slot_start(slot))
    tz = timezone.get_default_timezone()
    if slot.registration_deadline is not None:
        registration = timezone.localtime(slot.registration_deadline, tz)
    if slot.cancellation_deadline is not None:
        cancellation = timezone.localtime(slot.cancellation_deadline, tz)
    return registration, cancellation


def with_deadlines(slots):
    """Set ``registration_closes_at`` and ``cancellation_closes_at`` on each slot (periods preloaded)."""
    slots = list(slots)
    for slot in slots:
        slot.registration_closes_at, slot.cancellation_closes_at = effective_deadlines(slot)
    return slots


# --- Warnings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Calendar:
    """The holidays and vacations of a site, loaded once to check many dates."""

    holidays: dict
    vacations: tuple

    @classmethod
    def load(cls, site_id, dates=None):
        holidays = Holiday.objects.filter(site_id=site_id)
        vacations = Vacation.objects.filter(site_id=site_id)
        if dates:
            first, last = min(dates), max(dates)
            holidays = holidays.filter(date__range=(first, last))
            vacations = vacations.filter(start_date__lte=last, end_date__gte=first)
        return cls(
            holidays={h.date: h.label for h in holidays},
            vacations=tuple((v.start_date, v.end_date, v.label) for v in vacations),
        )


def date_warnings(day: dt.date, period: Period, calendar: Calendar) -> list[str]:
    warnings = []
    shown = date_format(day, "SHORT_DATE_FORMAT")
    if day.weekday() == 6:
        warnings.append(_("%(date)s is a Sunday.") % {"date": shown})
    if day in calendar.holidays:
        label = calendar.holidays[day]
        warnings.append(_("%(date)s is a public holiday (%(label)s).") % {"date": shown, "label": label})
    for start, end, label in calendar.vacations:
        if start <= day <= end:
            warnings.append(_("%(date)s falls in the vacation “%(label)s”.") % {"date": shown, "label": label})
    if not period.immersion_start <= day <= period.immersion_end:
        warnings.append(
            _("%(date)s is outside the immersion days of the period “%(period)s” (%(start)s – %(end)s).")
            % {
                "date": shown,
                "period": period.label,
                "start": date_format(period.immersion_start, "SHORT_DATE_FORMAT"),
                "end": date_format(period.immersion_end, "SHORT_DATE_FORMAT"),
            }
        )
    if day < timezone.localdate():
        warnings.append(_("%(date)s is in the past.") % {"date": shown})
    return warnings


def slot_warnings(slot, calendar: Calendar | None = None) -> list[str]:
    """Translated warnings (never errors) about a slot's date: Sunday, holiday, vacation, outside its period."""
    calendar = calendar or Calendar.load(slot.site_id, [slot.date])
    warnings = date_warnings(slot.date, slot.period, calendar)
    registration, _cancellation = effective_deadlines(slot)
    if registration > slot_start(slot):
        warnings.append(_("Registrations close after the slot starts."))
    return warnings


# --- Places ----------------------------------------------------------------------------


def fill_rate(taken, places) -> int:
    """Percentage of places taken (0 when there are no places)."""
    if not places:
        return 0
    return min(round(100 * taken / places), 100)


# --- The data used by the public offer --------------------------------------------------


def public_slot_queryset(site):
    """Slots the public offer shows: published, not cancelled, their course / event published.

    Restrictions and speakers are prefetched (one query per relation, whatever the number of
    slots); the publication window of the course / event is checked on today's date.
    """
    today = timezone.localdate()
    window = lambda p: (  # noqa: E731
        Q(**{f"{p}__published": True})
        & (Q(**{f"{p}__publication_start__isnull": True}) | Q(**{f"{p}__publication_start__lte": today}))
        & (Q(**{f"{p}__publication_end__isnull": True}) | Q(**{f"{p}__publication_end__gte": today}))
    )
    return (
        Slot.objects.filter(site=site, published=True, cancelled_at__isnull=True)
        .filter(window("course") | window("event"))
        .select_related("course__training", "event__event_type", "period", "campus", "building", "place_high_school")
        .prefetch_related("speakers", *Slot.RESTRICTION_FIELDS)
        .order_by("date", "start_time", "pk")
    )


def restrictions_of(slot) -> dict[str, list[int]]:
    """{restriction field: sorted ids} of a slot (empty list: no restriction). Uses prefetched rows."""
    return {name: sorted(obj.pk for obj in getattr(slot, name).all()) for name in Slot.RESTRICTION_FIELDS}


def public_slot_data(site, queryset=None) -> list[Slot]:
    """The published slots of a site, each with ``registration_closes_at``, ``cancellation_closes_at``
    (effective deadlines, aware, Europe/Paris) and ``restrictions`` ({field: ids}) set.
    """
    slots = with_deadlines(public_slot_queryset(site) if queryset is None else queryset)
    for slot in slots:
        slot.restrictions = restrictions_of(slot)
    return slots
