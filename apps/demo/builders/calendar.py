"""The current university year around today, its two periods, holidays and vacations."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from apps.academic_calendar.models import Holiday, Period, UniversityYear, Vacation

from . import ensure

#: Fixed-date public holidays in France: (label, month, day).
PUBLIC_HOLIDAYS = [
    ("Toussaint", 11, 1),
    ("Armistice 1918", 11, 11),
    ("Noël", 12, 25),
    ("Jour de l'an", 1, 1),
    ("Fête du travail", 5, 1),
    ("Victoire 1945", 5, 8),
    ("Fête nationale", 7, 14),
    ("Assomption", 8, 15),
]

#: School vacations (zone B, approximate): (label, (month, day) first day, (month, day) last day).
VACATIONS = [
    ("Vacances de la Toussaint", (10, 18), (11, 2)),
    ("Vacances de Noël", (12, 19), (1, 3)),
    ("Vacances d'hiver", (2, 13), (3, 1)),
    ("Vacances de printemps", (4, 10), (4, 26)),
]


@dataclass
class Calendar:
    year: UniversityYear
    periods: list
    closed_days: set

    def period_for(self, day):
        for period in self.periods:
            if period.immersion_start <= day <= period.immersion_end:
                return period
        return None

    def open_days(self, first, last):
        """Weekdays from ``first`` to ``last`` inside a period, without holidays nor vacations."""
        days = []
        day = first
        while day <= last:
            if day.weekday() < 5 and day not in self.closed_days and self.period_for(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days


def _in_year(start, end, month, day):
    """The date with this month and day that falls between start and end, or None."""
    for year in range(start.year, end.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if start <= candidate <= end:
            return candidate
    return None


def _at(day, hour):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def build_calendar(site, spec, stats, today):
    first_year = today.year if today.month >= 9 else today.year - 1
    label = f"{first_year}-{first_year + 1}"
    # Usually September to August; stretched when run at the edges so the demo window always fits.
    start = min(dt.date(first_year, 9, 1), today - dt.timedelta(days=30))
    end = max(dt.date(first_year + 1, 8, 31), today + dt.timedelta(days=120))
    for other in UniversityYear.objects.filter(is_active=True).exclude(label=label):
        other.is_active = False
        other.save(update_fields=["is_active"])
    year = ensure(
        stats,
        UniversityYear,
        site,
        {"label": label},
        values={"is_active": True},
        on_create={"start_date": start, "end_date": end, "accounts_open_date": start},
    )
    weeks = spec["offer"]["weeks"]
    quota = spec["offer"]["quota_per_person"]
    half = dt.timedelta(days=weeks * 7 // 2)
    ensure(
        stats,
        Period,
        site,
        {"year": year, "label": "Première période"},
        values={"quota_per_person": quota},
        on_create={
            "registration_start": _at(today - dt.timedelta(days=21), 8),
            "registration_end": _at(today + half, 18),
            "immersion_start": today,
            "immersion_end": today + half - dt.timedelta(days=1),
        },
    )
    ensure(
        stats,
        Period,
        site,
        {"year": year, "label": "Seconde période"},
        values={"quota_per_person": quota},
        on_create={
            "registration_start": _at(today - dt.timedelta(days=2), 8),
            "registration_end": _at(today + 2 * half + dt.timedelta(days=7), 18),
            "immersion_start": today + half,
            "immersion_end": today + 2 * half + dt.timedelta(days=14),
        },
    )
    closed = set()
    for label_, month, day in PUBLIC_HOLIDAYS + list(spec.get("extra_holidays", [])):
        date = _in_year(year.start_date, year.end_date, month, day)
        if date is not None:
            ensure(stats, Holiday, site, {"date": date}, values={"label": label_}, on_create={"year": year})
    for label_, (month1, day1), (month2, day2) in VACATIONS:
        first_day = _in_year(year.start_date, year.end_date, month1, day1)
        if first_day is None:
            continue
        last_day = _in_year(first_day, year.end_date, month2, day2)
        if last_day is None:
            continue
        ensure(
            stats,
            Vacation,
            site,
            {"year": year, "label": label_},
            on_create={"start_date": first_day, "end_date": last_day},
        )
    closed.update(Holiday.objects.filter(year=year).values_list("date", flat=True))
    for vacation in Vacation.objects.filter(year=year):
        day = vacation.start_date
        while day <= vacation.end_date:
            closed.add(day)
            day += dt.timedelta(days=1)
    periods = list(Period.objects.filter(year=year).order_by("immersion_start"))
    return Calendar(year=year, periods=periods, closed_days=closed)
