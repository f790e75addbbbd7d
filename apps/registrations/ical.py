"""A registrant's immersions as an iCalendar (RFC 5545) subscription feed.

A small generator rather than a dependency: one VCALENDAR of VEVENTs, times in UTC (no
VTIMEZONE needed), TEXT values escaped (section 3.3.11) and content lines folded at 75
octets without splitting a UTF-8 character (section 3.1), CRLF line ends. The UID of an
event is stable per registration, so calendar applications update rather than duplicate.
The remote link is not in the feed: it is shown in "my immersions" shortly before the start.
"""

from __future__ import annotations

import datetime as dt

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.catalogue.models import Slot
from apps.notifications.services import site_base_url

from . import selectors

CRLF = "\r\n"
MAX_OCTETS = 75


def escape_text(value) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (continuations start with a space)."""
    if len(line.encode("utf-8")) <= MAX_OCTETS:
        return line
    parts, current, size = [], [], 0
    limit = MAX_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1  # the leading space takes one octet
        current.append(char)
        size += octets
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def location_of(slot) -> str:
    if slot.place == Slot.Place.REMOTE:
        return _("Remote")
    if slot.place == Slot.Place.HIGH_SCHOOL and slot.place_high_school_id:
        return f"{slot.place_high_school.label}, {slot.place_high_school.city}"
    if slot.place == Slot.Place.OUTSIDE:
        return slot.outside_address
    parts = [slot.campus.label if slot.campus_id else "", slot.building.label if slot.building_id else "", slot.room]
    return ", ".join(p for p in parts if p)


def _slot_url(slot, site):
    """The slot page's address on the site's primary host (the same whoever fetches the feed)."""
    try:
        path = reverse("portal:slot", args=[slot.pk])
    except NoReverseMatch:  # pragma: no cover - the portal always has its slot page
        return ""
    return site_base_url(site) + path


def description_of(slot, url="") -> str:
    lines = []
    if slot.training_label:
        lines.append(_("Training: %(training)s") % {"training": slot.training_label})
    if slot.type_label:
        lines.append(_("Type: %(type)s") % {"type": slot.type_label})
    if slot.speaker_names:
        lines.append(_("Speakers: %(names)s") % {"names": ", ".join(slot.speaker_names)})
    if slot.place == Slot.Place.REMOTE:
        lines.append(_("The connection link is shown in “my immersions” shortly before the start."))
    if url:
        lines.append(url)
    return "\n".join(lines)


def event_lines(registration, site, now=None):
    slot = registration.slot
    url = _slot_url(slot, site)
    lines = [
        "BEGIN:VEVENT",
        f"UID:registration-{registration.pk}@{site.slug}.immersup",
        f"DTSTAMP:{utc_stamp(now or timezone.now())}",
        f"DTSTART:{utc_stamp(slot.starts_at)}",
        f"DTEND:{utc_stamp(slot.ends_at)}",
        f"SUMMARY:{escape_text(slot.offer_label)}",
    ]
    location = location_of(slot)
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    description = description_of(slot, url)
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if url:
        lines.append(f"URL:{url}")
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT"]
    return lines


def calendar_for(site, person, now=None) -> str:
    """The whole feed of a person on a site, as text (CRLF line ends)."""
    now = now or timezone.now()
    name = _("My immersions – %(site)s") % {"site": site.name}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ImmerSup//Immersions//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    ]
    for registration in selectors.calendar_registrations(site, person, now=now):
        lines += event_lines(registration, site, now=now)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
