"""The documented pupil's immersions, so that "my immersions" shows every section at once.

Runs after the records and documents: upcoming registrations go through the registration
engine (``apps.registrations.services``), which checks them like any other. Each step looks
for what it made before and does nothing when found, so a second run creates nothing:

* waiting lists: a full slot where the pupil waits in line behind a filler pupil; a second full
  slot where a filler pupil cancels while the pupil is first in line, so a place is offered
  to them (with a claim deadline);
* a cancelled registration: the pupil registers, then cancels with a registrant's reason;
* a course alert on a course with no open slot (else on any published course);
* past immersions, with attendance recorded (present, attended remotely, absent).

Past immersions cannot go through the engine (a slot that started refuses registrations):
their slots are created with the registrations already in place, ``individual_places_taken``
set to the number of active registrations and the attendance recorded as a speaker would,
inside this builder only. Their slots carry :data:`PAST_NOTE`, which is how a later run finds them.
"""

import datetime as dt

from django.utils import timezone

from apps.catalogue.models import Course, Slot
from apps.referentials.models import CourseType
from apps.registrations import rules, services
from apps.registrations.models import Attendance, CourseAlert, Registration, Status, WaitingListEntry

PAST_NOTE = "Immersion passée (données de démonstration)."
#: (days before today, place, the pupil's attendance) of the past immersions.
PAST = [
    (21, Slot.Place.ON_SITE, Attendance.PRESENT),
    (14, Slot.Place.REMOTE, Attendance.REMOTE),
    (7, Slot.Place.ON_SITE, Attendance.ABSENT),
]
#: How many candidates a step tries before giving up (keeps the run fast).
TRIES = 40


def build_immersions(site, stats, calendar, orgs, offer, people, today):
    pupil = people.by_key.get("pupil")
    if pupil is None or not offer.courses:
        return
    fillers = [person for person in people.pupils if person is not pupil]
    _waiting_lists(site, stats, pupil, fillers, today)
    _cancelled(site, stats, pupil, today)
    _alert(site, stats, pupil, today)
    _past(site, stats, calendar, orgs, offer, people, pupil, fillers, today)


def _upcoming(site, today):
    return (
        Slot.objects.filter(
            site=site,
            published=True,
            cancelled_at__isnull=True,
            allows_individual_registrations=True,
            individual_places__gt=0,
            date__gt=today + dt.timedelta(days=2),
        )
        .select_related("site", "period", "course__training__structure", "event")
        .order_by("date", "start_time", "pk")
    )


def _full(site, today, pupil):
    slots = _upcoming(site, today).exclude(registrations__person=pupil)
    return [slot for slot in slots if slot.individual_places_taken >= slot.individual_places]


def _join(slot, person):
    try:
        return services.join_waiting_list(slot, person, by=person)
    except services.RegistrationRefused:
        return None


def _waiting_lists(site, stats, pupil, fillers, today):
    """The pupil in line on one full slot (behind a filler), and offered a place on another."""
    if WaitingListEntry.objects.filter(site=site, person=pupil).exists():
        return
    full = _full(site, today, pupil)[:TRIES]
    waiting_slot = None
    for slot in full:
        if rules.evaluate(slot, pupil, by=pupil, site=site).may_join_waiting_list:
            waiting_slot = slot
            break
    if waiting_slot is None:
        return
    for filler in fillers[:TRIES]:
        if _join(waiting_slot, filler):
            stats.add(WaitingListEntry, "created", 1)
            break
    if _join(waiting_slot, pupil):
        stats.add(WaitingListEntry, "created", 1)
    # The offer: first in line on another full slot, then one of its registrants cancels.
    for slot in full:
        if slot.pk == waiting_slot.pk or slot.date == waiting_slot.date:
            continue
        registration = Registration.objects.filter(slot=slot, status=Status.ACTIVE).exclude(person=pupil).first()
        if registration is None or not _join(slot, pupil):
            continue
        stats.add(WaitingListEntry, "created", 1)
        services.cancel_registration(registration, by=registration.person, notify=False)
        stats.count(Registration, "updated")
        return


def _cancelled(site, stats, pupil, today):
    """A registration the pupil made, then cancelled (with a reason open to registrants)."""
    if Registration.objects.filter(site=site, person=pupil, status=Status.CANCELLED).exists():
        return
    reason = rules.usable_reasons("registrant", site).first()
    slots = _upcoming(site, today).filter(date__gt=today + dt.timedelta(days=7)).exclude(registrations__person=pupil)
    for slot in slots[:TRIES]:
        if slot.individual_places_taken >= slot.individual_places:
            continue
        try:
            registration = services.register(slot, pupil, by=pupil, notify=False)
        except services.RegistrationRefused:
            continue
        services.cancel_registration(registration, by=pupil, reason=reason, notify=False, check=True)
        stats.count(Registration, "created")
        return


def _alert(site, stats, pupil, today):
    """ "Tell me when a new slot opens" on a course with no open slot (else any published course)."""
    if CourseAlert.objects.filter(site=site, person=pupil).exists():
        return
    courses = Course.objects.filter(site=site, published=True).order_by("label", "pk")
    course = courses.exclude(slots__published=True, slots__date__gt=today).first() or courses.first()
    if course is not None:
        services.add_course_alert(course, pupil)
        stats.count(CourseAlert, "created")


def _past_day(today, days):
    day = today - dt.timedelta(days=days)
    while day.weekday() >= 5:  # on a weekday
        day -= dt.timedelta(days=1)
    return day


def _past(site, stats, calendar, orgs, offer, people, pupil, fillers, today):
    """Past immersions of the pupil (and a few fillers), attendance recorded."""
    if Slot.objects.filter(site=site, additional_information=PAST_NOTE).exists():
        return
    entries = [entry for entry in offer.courses if entry.establishment_code is not None]
    if not entries or not calendar.periods:
        return
    course_type = CourseType.objects.filter(site=site).order_by("position", "code").first()
    now = timezone.now()
    for index, (days, place, attendance) in enumerate(PAST):
        entry = entries[(index * 5) % len(entries)]
        speakers = list(people.teachers.get(entry.owner, []))
        slot = Slot(
            site=site,
            course=entry.course,
            course_type=course_type,
            period=calendar.periods[0],
            date=_past_day(today, days),
            start_time=dt.time(14),
            end_time=dt.time(16),
            individual_places=12,
            published=True,
            additional_information=PAST_NOTE,
        )
        if place == Slot.Place.REMOTE:
            slot.place = Slot.Place.REMOTE
            slot.remote_url = f"https://visio.{site.slug}.immersup.test/salle/passee-{index + 1}"
        else:
            slot.campus = orgs.structure_campus[entry.owner]
            slot.building = (orgs.buildings.get(slot.campus.label) or [None])[0]
            slot.room = "Salle 101"
        slot.save()
        slot.speakers.set(speakers)
        recorder = speakers[0] if speakers else None
        attendees = [(pupil, attendance)] + [
            (filler, Attendance.PRESENT if number % 3 else Attendance.ABSENT)
            for number, filler in enumerate(fillers[index * 3 : index * 3 + 3])
        ]
        registrations = [
            Registration(
                site=site,
                slot=slot,
                person=person,
                registered_by=person,
                attendance=value,
                attendance_recorded_at=now,
                attendance_recorded_by=recorder,
            )
            for person, value in attendees
        ]
        for registration in registrations:
            registration.check_same_site()
        Registration.objects.bulk_create(registrations)
        Slot.objects.filter(pk=slot.pk).update(individual_places_taken=len(attendees))
        stats.count(Slot, "created")
        stats.add(Registration, "created", len(attendees))
