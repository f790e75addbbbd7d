"""Read side of the dashboards: every figure comes from the database, scoped by ``apps.accounts.policy``.

Each panel runs a fixed number of queries whatever the number of rows: figures are
aggregations (``Count``/``Sum`` with filters, counts in correlated subqueries, never one
query per row) and lists are cut to ``LIST_SIZE`` rows, their total read by one ``COUNT``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.academic_calendar.models import Period
from apps.accounts.models import Role
from apps.accounts.policy import (
    REGISTRANT_ROLES,
    Action,
    Actor,
    offer_filter,
    record_validation_filter,
    validatable_record_models,
)
from apps.catalogue.models import Slot, Training
from apps.records.models import PENDING_STATUSES, PupilRecord, StudentRecord, VisitorRecord
from apps.referentials.models import TrainingDomain
from apps.registrations.models import (
    LIVE_WAITING_STATUSES,
    Attendance,
    GroupRegistration,
    Registration,
    Status,
    WaitingListEntry,
    WaitingStatus,
)
from apps.registrations.referent_selectors import visible_registrations

#: Rows shown in each list of a dashboard (the total is given beside it).
LIST_SIZE = 10
#: Upcoming slots looked at for "short of registrants".
SHORT_HORIZON_DAYS = 14
#: A slot is short of registrants below this fill rate (percent).
SHORT_THRESHOLD = 30

PANELS = ("site", "scope", "speaker", "high_school", "registrant")

SLOT_RELATED = ("course__training", "event", "period")


# --- Who has which dashboard --------------------------------------------------------------


def panels_for(actor: Actor) -> list[str]:
    """The dashboard panels this actor has, in display order (empty: no dashboard)."""
    if actor.user is None:
        return []
    panels = []
    if actor.is_master:
        panels.append("site")
    elif actor.managed_establishments or actor.managed_structures or actor.host_high_schools:
        panels.append("scope")
    if Role.SPEAKER in actor.roles:
        panels.append("speaker")
    if actor.referent_high_schools:
        panels.append("high_school")
    if actor.roles & REGISTRANT_ROLES:
        panels.append("registrant")
    return panels


# --- Helpers ------------------------------------------------------------------------------


def _started_q(now, prefix=""):
    """Slots that have started at ``now`` (site time zone)."""
    local = timezone.localtime(now)
    return Q(**{f"{prefix}date__lt": local.date()}) | Q(
        **{f"{prefix}date": local.date(), f"{prefix}start_time__lte": local.time()}
    )


def _count_subquery(queryset, column="slot"):
    """A correlated ``COUNT(*)`` of ``queryset`` rows (already filtered on ``OuterRef``), as an integer."""
    counted = queryset.order_by().values(column).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _registrants():
    return _count_subquery(Registration.objects.filter(slot=OuterRef("pk"), status=Status.ACTIVE))


def _waiting():
    return _count_subquery(WaitingListEntry.objects.filter(slot=OuterRef("pk"), status__in=LIVE_WAITING_STATUSES))


def _not_entered():
    return _count_subquery(
        Registration.objects.filter(slot=OuterRef("pk"), status=Status.ACTIVE, attendance=Attendance.NOT_ENTERED)
    )


def _rate(taken, places):
    return round(100 * taken / places) if places else None


def _label(slot):
    return slot.course.label if slot.course_id else slot.event.label


def _decorate(slots):
    for slot in slots:
        slot.label = _label(slot)
        slot.starts_at = timezone.make_aware(
            dt.datetime.combine(slot.date, slot.start_time), timezone.get_default_timezone()
        )
    return slots


@dataclass
class Listing:
    rows: list
    total: int

    @property
    def more(self):
        return max(self.total - len(self.rows), 0)


def _listing(queryset, order):
    """The first ``LIST_SIZE`` rows of ``queryset`` and their total, in two queries."""
    total = queryset.count()
    rows = _decorate(list(queryset.order_by(*order)[:LIST_SIZE])) if total else []
    return Listing(rows, total)


# --- Site and scope (master, establishment and structure referents) ------------------------


def scope_slots(actor: Actor, site):
    """The slots of a site the actor manages (the whole site for the master referent)."""
    return Slot.objects.filter(site=site).filter(offer_filter(actor, Slot, Action.CHANGE))


@dataclass
class Fill:
    label: str
    places: int
    taken: int

    @property
    def rate(self):
        return _rate(self.taken, self.places)


@dataclass
class PendingRow:
    label: str
    count: int


@dataclass
class ManagerDashboard:
    registrations_today: int
    registrations_week: int
    fill_by_establishment: list
    fill_by_domain: list
    pending_by_high_school: list
    pending_students: int | None
    pending_visitors: int | None
    short_slots: Listing
    attendance_to_enter: Listing
    my_slots: Listing | None = None
    can_validate: bool = False
    short_days: int = SHORT_HORIZON_DAYS
    short_threshold: int = SHORT_THRESHOLD

    @property
    def pending_total(self):
        return (
            sum(r.count for r in self.pending_by_high_school)
            + (self.pending_students or 0)
            + (self.pending_visitors or 0)
        )


def _upcoming_offered(slots, now):
    """Published, not cancelled, not started slots (the places on offer)."""
    parent_published = Q(course__published=True) | Q(event__published=True)
    return slots.filter(parent_published, published=True, cancelled_at__isnull=True).exclude(_started_q(now))


_PLACES = F("individual_places") + F("group_places")
_TAKEN = F("individual_places_taken") + F("group_places_taken")


def _fill_by_establishment(slots):
    owner = Coalesce(
        "course__training__structure__establishment__label",
        "event__establishment__label",
        "event__structure__establishment__label",
        "course__training__high_school__label",
        "event__high_school__label",
    )
    rows = (
        slots.annotate(owner=owner)
        .order_by()
        .values("owner")
        .annotate(places=Sum(_PLACES), taken=Sum(_TAKEN))
        .order_by("owner")
    )
    return [Fill(r["owner"] or "", r["places"] or 0, r["taken"] or 0) for r in rows]


def _fill_by_domain(site, slots):
    """Places of the slots whose training is in each domain (a slot counts once per domain)."""
    in_domain = Training.subdomains.through.objects.filter(
        training_id=OuterRef("course__training_id"), trainingsubdomain__domain_id=OuterRef(OuterRef("pk"))
    )
    domain_slots = slots.filter(Exists(in_domain)).order_by().annotate(one=Value(1)).values("one")

    def total(expression):
        summed = domain_slots.annotate(total=Sum(expression)).values("total")
        return Coalesce(Subquery(summed, output_field=IntegerField()), Value(0))

    rows = (
        TrainingDomain.objects.filter(site=site)
        .annotate(places=total(_PLACES), taken=total(_TAKEN))
        .filter(places__gt=0)
        .order_by("label")
        .values("label", "places", "taken")
    )
    return [Fill(r["label"], r["places"], r["taken"]) for r in rows]


def _pending(actor, site):
    """(pupil records to validate by high school, students, visitors) the actor decides on."""
    models = validatable_record_models(actor)
    by_high_school = []
    if PupilRecord in models:
        rows = (
            PupilRecord.objects.filter(site=site, status__in=PENDING_STATUSES)
            .filter(record_validation_filter(actor, PupilRecord))
            .order_by()
            .values("high_school__label")
            .annotate(count=Count("pk"))
        )
        by_high_school = [PendingRow(r["high_school__label"] or "", r["count"]) for r in rows]
        by_high_school.sort(key=lambda r: (not r.label, r.label))  # records without high school last
    others = []
    for model in (StudentRecord, VisitorRecord):
        if model in models:
            others.append(
                model.objects.filter(site=site, status__in=PENDING_STATUSES)
                .filter(record_validation_filter(actor, model))
                .count()
            )
        else:
            others.append(None)
    return by_high_school, others[0], others[1], bool(models)


def manager_dashboard(actor: Actor, site, *, with_my_slots=False, now=None) -> ManagerDashboard:
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = timezone.make_aware(dt.datetime.combine(local.date(), dt.time()), timezone.get_current_timezone())
    week = today - dt.timedelta(days=local.weekday())
    slots = scope_slots(actor, site)
    counts = Registration.objects.filter(site=site, status=Status.ACTIVE, slot__in=slots.values("pk")).aggregate(
        today=Count("pk", filter=Q(registered_at__gte=today)),
        week=Count("pk", filter=Q(registered_at__gte=week)),
    )
    offered = _upcoming_offered(slots, now)
    horizon = local.date() + dt.timedelta(days=SHORT_HORIZON_DAYS)
    short = (
        offered.filter(date__lte=horizon)
        .annotate(places=_PLACES, taken=_TAKEN)
        .filter(places__gt=0, taken__lt=F("places") * SHORT_THRESHOLD / 100.0)
        .select_related(*SLOT_RELATED)
    )
    to_enter = (
        slots.filter(cancelled_at__isnull=True)
        .filter(_started_q(now))
        .annotate(not_entered=_not_entered())
        .filter(not_entered__gt=0)
        .select_related(*SLOT_RELATED)
    )
    by_high_school, students, visitors, can_validate = _pending(actor, site)
    dashboard = ManagerDashboard(
        registrations_today=counts["today"],
        registrations_week=counts["week"],
        fill_by_establishment=_fill_by_establishment(offered),
        fill_by_domain=_fill_by_domain(site, offered),
        pending_by_high_school=by_high_school,
        pending_students=students,
        pending_visitors=visitors,
        short_slots=_listing(short, ("date", "start_time", "pk")),
        attendance_to_enter=_listing(to_enter, ("-date", "-start_time", "pk")),
        can_validate=can_validate,
    )
    if with_my_slots:
        upcoming = (
            slots.filter(cancelled_at__isnull=True)
            .exclude(_started_q(now))
            .annotate(registrants=_registrants(), waiting=_waiting())
            .select_related(*SLOT_RELATED)
        )
        dashboard.my_slots = _listing(upcoming, ("date", "start_time", "pk"))
    return dashboard


# --- Speaker --------------------------------------------------------------------------------


@dataclass
class SpeakerDashboard:
    next_slots: Listing
    attendance_to_enter: Listing


def speaker_dashboard(actor: Actor, site, now=None) -> SpeakerDashboard:
    now = now or timezone.now()
    mine = Slot.objects.filter(site=site, cancelled_at__isnull=True).filter(
        pk__in=Slot.speakers.through.objects.filter(user_id=actor.user_id).values("slot_id")
    )
    upcoming = mine.exclude(_started_q(now)).annotate(registrants=_registrants(), waiting=_waiting())
    to_enter = mine.filter(_started_q(now)).annotate(not_entered=_not_entered()).filter(not_entered__gt=0)
    return SpeakerDashboard(
        next_slots=_listing(upcoming.select_related(*SLOT_RELATED), ("date", "start_time", "pk")),
        attendance_to_enter=_listing(to_enter.select_related(*SLOT_RELATED), ("-date", "-start_time", "pk")),
    )


# --- High-school referent -------------------------------------------------------------------


@dataclass
class HighSchoolDashboard:
    to_validate: int
    can_validate: bool
    immersions: Listing
    groups: Listing


def high_school_dashboard(actor: Actor, site, now=None) -> HighSchoolDashboard:
    now = now or timezone.now()
    high_schools = actor.referent_high_schools
    can_validate = PupilRecord in validatable_record_models(actor)
    to_validate = (
        PupilRecord.objects.filter(site=site, status__in=PENDING_STATUSES, high_school_id__in=high_schools)
        .filter(record_validation_filter(actor, PupilRecord))
        .count()
    )
    immersions = (
        visible_registrations(site, actor.user, high_schools)
        .filter(status=Status.ACTIVE)
        .exclude(_started_q(now, "slot__"))
        .select_related("person", *(f"slot__{name}" for name in SLOT_RELATED))
    )
    groups = (
        GroupRegistration.objects.filter(site=site, high_school_id__in=high_schools, status=Status.ACTIVE)
        .exclude(_started_q(now, "slot__"))
        .select_related("high_school", *(f"slot__{name}" for name in SLOT_RELATED))
    )
    return HighSchoolDashboard(
        to_validate=to_validate,
        can_validate=can_validate,
        immersions=_slot_rows(immersions),
        groups=_slot_rows(groups),
    )


def _slot_rows(queryset):
    """A listing of registrations (individual or group) by slot date, their slots decorated."""
    total = queryset.count()
    rows = list(queryset.order_by("slot__date", "slot__start_time", "pk")[:LIST_SIZE]) if total else []
    _decorate([row.slot for row in rows])
    return Listing(rows, total)


# --- Pupils, students, visitors ------------------------------------------------------------


@dataclass
class QuotaRow:
    label: str
    quota: int
    used: int

    @property
    def left(self):
        return max(self.quota - self.used, 0)


@dataclass
class RegistrantDashboard:
    next_immersion: Registration | None
    upcoming_count: int
    quotas: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    offers: list = field(default_factory=list)


def registrant_dashboard(actor: Actor, site, now=None) -> RegistrantDashboard:
    now = now or timezone.now()
    user = actor.user
    upcoming = (
        Registration.objects.filter(site=site, person=user, status=Status.ACTIVE)
        .exclude(_started_q(now, "slot__"))
        .select_related(*(f"slot__{name}" for name in SLOT_RELATED), "slot__campus", "slot__building")
        .order_by("slot__date", "slot__start_time", "pk")
    )
    rows = list(upcoming[:1])
    next_immersion = rows[0] if rows else None
    if next_immersion is not None:
        _decorate([next_immersion.slot])
    upcoming_count = upcoming.count() if next_immersion is not None else 0
    periods = (
        Period.objects.filter(site=site, registration_start__lte=now, registration_end__gte=now)
        .annotate(
            used=Count(
                "slots__registrations",
                filter=Q(slots__registrations__person=user, slots__registrations__status=Status.ACTIVE),
            )
        )
        .order_by("immersion_start", "pk")
    )
    quotas = [QuotaRow(p.label, p.quota_per_person, p.used) for p in periods]
    ahead = WaitingListEntry.objects.filter(slot=OuterRef("slot"), status=WaitingStatus.WAITING).filter(
        Q(joined_at__lt=OuterRef("joined_at")) | Q(joined_at=OuterRef("joined_at"), pk__lte=OuterRef("pk"))
    )
    entries = list(
        WaitingListEntry.objects.filter(site=site, person=user, status__in=LIVE_WAITING_STATUSES)
        .exclude(_started_q(now, "slot__"))
        .annotate(position=_count_subquery(ahead))
        .select_related(*(f"slot__{name}" for name in SLOT_RELATED))
        .order_by("slot__date", "slot__start_time", "pk")
    )
    _decorate([entry.slot for entry in entries])
    waiting = [e for e in entries if e.status == WaitingStatus.WAITING]
    offers = [e for e in entries if e.status == WaitingStatus.OFFERED and e.offer_expires_at > now]
    return RegistrantDashboard(next_immersion, upcoming_count, quotas, waiting, offers)


# --- Entry point ------------------------------------------------------------------------------


def panel_data(panel: str, actor: Actor, site, now=None):
    """The figures of one panel (the page and its fragment call the same function)."""
    if panel == "site":
        return manager_dashboard(actor, site, now=now)
    if panel == "scope":
        return manager_dashboard(actor, site, with_my_slots=True, now=now)
    if panel == "speaker":
        return speaker_dashboard(actor, site, now=now)
    if panel == "high_school":
        return high_school_dashboard(actor, site, now=now)
    if panel == "registrant":
        return registrant_dashboard(actor, site, now=now)
    raise ValueError(panel)
