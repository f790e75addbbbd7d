"""What the scheduled jobs do, site by site: each selects what is due and not yet done.

Every job is idempotent and catches up. It never asks "what became due since my last
run?" but "what is due now and was not done yet?": reminders for registrations whose slot
starts within the site's ``reminder_days_before`` days and has not started, whatever the
day the job last ran, each sent once thanks to its once-only key (``dedup_key``). A run
after three days of downtime sends the missed reminders once; slots already started are
not reminded; a second run sends nothing.

Each function takes the site (called inside its scope by :mod:`.runner`) and ``now`` (the
tests pass it instead of freezing time), and returns counts for the run log.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from apps.academic_calendar.models import UniversityYear
from apps.accounts.models import Role, RoleAssignment
from apps.accounts.policy import actor_for, record_validation_filter
from apps.accounts.services import delete_unactivated_accounts
from apps.attestations.models import Attestation
from apps.attestations.selectors import EXPIRED, document_status, registrant_records
from apps.catalogue.models import Slot
from apps.federation.refresh import refresh as refresh_federation_metadata
from apps.notifications.delivery import flush_outbox
from apps.notifications.models import OutgoingMessage
from apps.notifications.services import send_message
from apps.records.models import PENDING_STATUSES, PupilRecord, StudentRecord, VisitorRecord
from apps.registrations import rules
from apps.registrations.models import Attendance, GroupRegistration, Registration, Status, WaitingStatus
from apps.registrations.services import cancel_registration, process_waiting_lists

SLOT_RELATED = ("slot__course", "slot__event", "slot__campus", "slot__building", "slot__place_high_school")
#: A survey after a slot is not sent for slots older than this (e.g. when a site sets its survey address).
SURVEY_LOOKBACK_DAYS = 30
#: The end-of-year survey is sent during this many days after the year's last immersion day.
END_OF_YEAR_SURVEY_DAYS = 30


def _local(now):
    return timezone.localtime(now or timezone.now())


def _not_started(now, prefix="slot__"):
    local = _local(now)
    return Q(**{f"{prefix}date__gt": local.date()}) | Q(
        **{f"{prefix}date": local.date(), f"{prefix}start_time__gt": local.time()}
    )


def _ended(now, prefix="slot__"):
    local = _local(now)
    return Q(**{f"{prefix}date__lt": local.date()}) | Q(
        **{f"{prefix}date": local.date(), f"{prefix}end_time__lte": local.time()}
    )


def _already_sent(site, keys):
    """The once-only keys among ``keys`` that already have a message (one query)."""
    if not keys:
        return set()
    return set(OutgoingMessage.objects.filter(site=site, dedup_key__in=list(keys)).values_list("dedup_key", flat=True))


def _send_once(site, items, key_of, send):
    """Send ``send(item, key)`` for each item whose key has no message yet. Returns counts."""
    keyed = [(item, key_of(item)) for item in items]
    done = _already_sent(site, [key for _, key in keyed])
    sent = 0
    for item, key in keyed:
        if key not in done and send(item, key) is not None:
            sent += 1
    return {"due": len(keyed), "sent": sent}


def upcoming_slots_filter(site, now):
    """Slots (as a Q on Slot) starting within the site's reminder window and not started yet."""
    horizon = _local(now).date() + dt.timedelta(days=site.reminder_days_before)
    return Q(site=site, cancelled_at__isnull=True, date__lte=horizon) & _not_started(now, prefix="")


# --- Reminders ---------------------------------------------------------------------------


def registrant_reminders(site, now=None):
    """Remind each registrant of their slot, once, within ``reminder_days_before`` days of it."""
    horizon = _local(now).date() + dt.timedelta(days=site.reminder_days_before)
    registrations = (
        Registration.objects.filter(
            site=site, status=Status.ACTIVE, slot__cancelled_at__isnull=True, slot__date__lte=horizon
        )
        .filter(_not_started(now))
        .select_related("person", "slot", *SLOT_RELATED)
        .order_by("slot__date", "slot__start_time", "pk")
    )
    return _send_once(
        site,
        registrations,
        lambda r: f"reminder:registrant:{r.pk}",
        lambda r, key: send_message(
            "registrant_reminder", to=r.person, site=site, context={"registration": r, "slot": r.slot}, dedup_key=key
        ),
    )


def group_reminders(site, now=None):
    """Remind each group's contact of their slot, once, within ``reminder_days_before`` days of it."""
    horizon = _local(now).date() + dt.timedelta(days=site.reminder_days_before)
    groups = (
        GroupRegistration.objects.filter(
            site=site, status=Status.ACTIVE, slot__cancelled_at__isnull=True, slot__date__lte=horizon
        )
        .exclude(contact_email="")
        .filter(_not_started(now))
        .select_related("high_school", "slot", *SLOT_RELATED)
        .order_by("slot__date", "slot__start_time", "pk")
    )
    return _send_once(
        site,
        groups,
        lambda g: f"reminder:group:{g.pk}",
        lambda g, key: send_message(
            "group_reminder", to=g.contact_email, site=site, context={"group": g, "slot": g.slot}, dedup_key=key
        ),
    )


def speaker_reminders(site, now=None):
    """Remind each speaker of each of their coming slots, once, with its number of registrants."""
    slots = (
        Slot.objects.filter(upcoming_slots_filter(site, now), published=True)
        .select_related("course", "event", "campus", "building", "place_high_school")
        .prefetch_related("speakers")
        .annotate(waiting=Count("waiting_list", filter=Q(waiting_list__status=WaitingStatus.WAITING), distinct=True))
        .order_by("date", "start_time", "pk")
    )
    pairs = [(slot, speaker) for slot in slots for speaker in slot.speakers.all() if speaker.is_active]
    return _send_once(
        site,
        pairs,
        lambda pair: f"reminder:speaker:{pair[0].pk}:{pair[1].pk}",
        lambda pair, key: send_message(
            "speaker_reminder", to=pair[1], site=site, context={"slot": pair[0], "speaker": pair[1]}, dedup_key=key
        ),
    )


# --- Digests -------------------------------------------------------------------------------


def structure_weekly_digest(site, now=None):
    """To each structure referent: their structure's slots of the coming seven days (once a week)."""
    today = _local(now).date()
    year, week, _ = today.isocalendar()
    assignments = list(
        RoleAssignment.objects.filter(
            site=site, role=Role.STRUCTURE_REFERENT, structure__isnull=False, user__is_active=True
        ).select_related("user", "structure")
    )
    structure_ids = {a.structure_id for a in assignments}
    slots = (
        Slot.objects.filter(
            Q(course__training__structure__in=structure_ids) | Q(event__structure__in=structure_ids),
            site=site,
            cancelled_at__isnull=True,
            date__gte=today,
            date__lt=today + dt.timedelta(days=7),
        )
        .select_related("course__training", "event")
        .annotate(waiting=Count("waiting_list", filter=Q(waiting_list__status=WaitingStatus.WAITING), distinct=True))
        .order_by("date", "start_time", "pk")
    )
    by_structure = defaultdict(list)
    for slot in slots:
        structure_id = slot.course.training.structure_id if slot.course_id else slot.event.structure_id
        by_structure[structure_id].append(slot)
    due = [a for a in assignments if by_structure.get(a.structure_id)]
    return _send_once(
        site,
        due,
        lambda a: f"digest:structure:{a.user_id}:{a.structure_id}:{year}-W{week:02d}",
        lambda a, key: send_message(
            "structure_weekly_digest",
            to=a.user,
            site=site,
            context={"structure": a.structure, "slots": by_structure[a.structure_id], "recipient": a.user},
            dedup_key=key,
        ),
    )


VALIDATORS = (Role.HIGH_SCHOOL_REFERENT, Role.ESTABLISHMENT_REFERENT)


def pending_validations_digest(site, now=None):
    """To each high-school / establishment referent with records waiting for them: how many (daily)."""
    today = _local(now).date()
    users = get_user_model().objects.filter(
        is_active=True, pk__in=RoleAssignment.objects.filter(site=site, role__in=VALIDATORS).values("user_id")
    )
    due = []
    for user in users.order_by("pk"):
        actor = actor_for(user, site)
        count = sum(
            model.objects.filter(site=site, status__in=PENDING_STATUSES)
            .filter(record_validation_filter(actor, model))
            .count()
            for model in (PupilRecord, StudentRecord, VisitorRecord)
        )
        if count:
            due.append((user, count))
    return _send_once(
        site,
        due,
        lambda pair: f"digest:validations:{pair[0].pk}:{today.isoformat()}",
        lambda pair, key: send_message(
            "pending_validations_digest",
            to=pair[0],
            site=site,
            context={"recipient": pair[0], "count": pair[1]},
            dedup_key=key,
        ),
    )


# --- Documents -------------------------------------------------------------------------------


def document_expiry_warnings(site, now=None):
    """Warn the owner of each current document expiring within ``document_expiry_warning_days``, once.
    Archived documents (replaced by a newer one) are ignored."""
    today = _local(now).date()
    attestations = (
        Attestation.objects.filter(
            site=site,
            archived_at__isnull=True,
            attestation_type__is_active=True,
            validity_date__gte=today,
            validity_date__lte=today + dt.timedelta(days=site.document_expiry_warning_days),
            user__is_active=True,
        )
        .select_related("user", "attestation_type")
        .order_by("validity_date", "pk")
    )
    return _send_once(
        site,
        attestations,
        lambda a: f"document_expiry:{a.pk}",
        lambda a, key: send_message(
            "document_expiry_warning", to=a.user, site=site, context={"attestation": a}, dedup_key=key
        ),
    )


def auto_cancel_expired_documents(site, now=None):
    """Cancel the coming registrations of people whose current mandatory document has expired,
    with a message (once). Archived documents are ignored: a newer valid one keeps the place."""
    today = _local(now).date()
    expired_owners = Attestation.objects.filter(
        site=site, archived_at__isnull=True, validity_date__lt=today, attestation_type__mandatory=True
    ).values("user_id")
    registrations = (
        Registration.objects.filter(
            site=site, status=Status.ACTIVE, slot__cancelled_at__isnull=True, person_id__in=expired_owners
        )
        .filter(_not_started(now))
        .select_related("person", "slot", *SLOT_RELATED)
        .order_by("person_id", "slot_id", "pk")
    )
    by_person = defaultdict(list)
    for registration in registrations:
        by_person[registration.person].append(registration)
    reason = rules.usable_reasons("system", site).first()
    cancelled = 0
    for person, items in by_person.items():
        expired = [
            status.attestation_type
            for record in registrant_records(site, person)
            for status in document_status(record, today)
            if status.mandatory and status.state == EXPIRED
        ]
        if not expired:
            continue
        documents = ", ".join(sorted({str(t.label) for t in expired}))
        for registration in items:
            with transaction.atomic():
                if not cancel_registration(registration, by=None, reason=reason, notify=False, check=False):
                    continue
                send_message(
                    "registration_auto_cancelled",
                    to=person,
                    site=site,
                    context={"registration": registration, "slot": registration.slot, "documents": documents},
                    dedup_key=f"auto_cancelled:{registration.pk}",
                )
                cancelled += 1
    return {"people": len(by_person), "cancelled": cancelled}


# --- Surveys -------------------------------------------------------------------------------


def surveys_after_slot(site, now=None):
    """Send the site's survey to each person who attended a slot (present or remote), once."""
    if not site.survey_after_slot_url:
        return {"due": 0, "sent": 0}
    since = _local(now).date() - dt.timedelta(days=SURVEY_LOOKBACK_DAYS)
    registrations = (
        Registration.objects.filter(
            site=site,
            status=Status.ACTIVE,
            attendance__in=(Attendance.PRESENT, Attendance.REMOTE),
            slot__cancelled_at__isnull=True,
            slot__date__gte=since,
        )
        .filter(_ended(now))
        .select_related("person", "slot", *SLOT_RELATED)
        .order_by("slot__date", "pk")
    )
    return _send_once(
        site,
        registrations,
        lambda r: f"survey:slot:{r.pk}",
        lambda r, key: send_message(
            "survey_after_slot", to=r.person, site=site, context={"registration": r, "slot": r.slot}, dedup_key=key
        ),
    )


def survey_end_of_year(site, now=None):
    """Send the end-of-year survey to the year's registrants, once, after its last immersion day."""
    if not site.survey_end_of_year_url:
        return {"due": 0, "sent": 0}
    today = _local(now).date()
    years = UniversityYear.objects.filter(site=site, start_date__lte=today).annotate(
        last_day=Max("periods__immersion_end")
    )
    due = []
    for year in years:
        last_day = year.last_day or year.end_date
        if not last_day < today <= last_day + dt.timedelta(days=END_OF_YEAR_SURVEY_DAYS):
            continue
        people = get_user_model().objects.filter(
            is_active=True,
            registrations__site=site,
            registrations__status=Status.ACTIVE,
            registrations__slot__period__year=year,
        )
        due += [(year, person) for person in people.distinct().order_by("pk")]
    return _send_once(
        site,
        due,
        lambda pair: f"survey:year:{pair[0].pk}:{pair[1].pk}",
        lambda pair, key: send_message(
            "survey_end_of_year", to=pair[1], site=site, context={"year": pair[0], "person": pair[1]}, dedup_key=key
        ),
    )


# --- Existing services, as jobs --------------------------------------------------------------


def waiting_list_offers(site, now=None):
    return {"served": process_waiting_lists(now, site=site)}


def unactivated_accounts(now=None):
    return {"deleted": delete_unactivated_accounts(now=now)}


def outbox(now=None):
    return flush_outbox(now=now)


def federation_metadata(now=None):
    """Refresh the sites' SAML metadata (RENATER, EduConnect); a failed download keeps the stored one."""
    result = refresh_federation_metadata()
    if result["failures"]:
        raise RuntimeError(f"{result['failures']} metadata download(s) failed; the stored metadata was kept.")
    return result
