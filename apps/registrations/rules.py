"""The registration rules, in one place.

:func:`evaluate` answers "may ``by`` register ``person`` on ``slot`` now, and if not, why?"
with every reason, translated. :func:`evaluate_group` answers the same for a group of a
high school, in the same shape (a :class:`Decision` of coded :class:`Refusal`); the
cancellation rules are here too (:func:`cancellation_problem`, :func:`group_cancellation_problem`).
The services call them under the slot's row lock to decide; the pages call them (without a
lock) to choose which button to show, so the interface never offers what the engine refuses.
Nothing here writes. Who is a high-school referent's pupil, and which of their immersions the
referent sees, is the policy's answer (:mod:`apps.accounts.policy`).

Who registers whom (:class:`Authority`):

* ``SELF``: a registrant (pupil, student, visitor) for themselves;
* ``HIGH_SCHOOL``: a high-school referent for a pupil of their high school;
* ``MANAGER``: a manager of the slot's owner (structure referent and above) — may force
  past restrictions, the registration window and deadlines;
* ``ESTABLISHMENT``: an establishment-level manager (master referent, referent of the
  owning establishment or host high school) — may also force past the quotas.

No one forces past a full slot, a started or unpublished slot, an overlap, or a record
that is not validated: those are facts, not policies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.accounts.policy import (
    Action,
    _manages_owner,
    actor_for,
    can,
    may_follow_registration,
    may_register_pupil,
    may_see_immersions_of,
    owner_of,
)
from apps.attestations.selectors import missing_mandatory
from apps.catalogue.models import Slot
from apps.catalogue.selectors import effective_deadlines, slot_start
from apps.organisations.models import Establishment
from apps.records.models import PupilRecord, RecordStatus, StudentRecord, VisitorRecord
from apps.referentials.models import CancellationReason

from .models import LIVE_WAITING_STATUSES, GroupRegistration, Registration, Status, WaitingListEntry, WaitingStatus


class Authority(enum.IntEnum):
    NONE = 0
    SELF = 1
    HIGH_SCHOOL = 2
    MANAGER = 3
    ESTABLISHMENT = 4


class Code:
    """Why a registration is refused. Stored in ``Registration.overrides`` when forced."""

    NOT_ALLOWED = "not_allowed"
    ACCOUNT_INACTIVE = "account_inactive"
    NO_RECORD = "no_record"
    RECORD_NOT_VALIDATED = "record_not_validated"
    DOCUMENTS_MISSING = "documents_missing"
    HIGH_SCHOOL_GROUPS_ONLY = "high_school_groups_only"
    NOT_PUBLISHED = "not_published"
    SLOT_CANCELLED = "slot_cancelled"
    NO_INDIVIDUAL_REGISTRATION = "no_individual_registration"
    SLOT_STARTED = "slot_started"
    WINDOW_NOT_OPEN = "window_not_open"
    WINDOW_CLOSED = "window_closed"
    DEADLINE_PASSED = "deadline_passed"
    RESTRICTED = "restricted"
    ALREADY_REGISTERED = "already_registered"
    OVERLAP = "overlap"
    PERIOD_QUOTA = "period_quota"
    TRAINING_QUOTA = "training_quota"
    FULL = "full"
    #: Refused, for reasons about the person's immersions that the caller may not see.
    UNDISCLOSED = "undisclosed"
    # Groups (:func:`evaluate_group`); a full slot is ``FULL`` there too.
    HIGH_SCHOOL_INACTIVE = "high_school_inactive"
    NO_GROUP_REGISTRATION = "no_group_registration"
    GROUP_EMPTY = "group_empty"
    GROUP_TOO_LARGE = "group_too_large"


#: Who may force past each rule (missing: nobody).
FORCIBLE_BY = {
    Code.WINDOW_NOT_OPEN: Authority.MANAGER,
    Code.WINDOW_CLOSED: Authority.MANAGER,
    Code.DEADLINE_PASSED: Authority.MANAGER,
    Code.RESTRICTED: Authority.MANAGER,
    Code.HIGH_SCHOOL_GROUPS_ONLY: Authority.MANAGER,
    Code.PERIOD_QUOTA: Authority.ESTABLISHMENT,
    Code.TRAINING_QUOTA: Authority.ESTABLISHMENT,
}


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    forcible: bool = False  # the caller has the authority to force past it


@dataclass
class Decision:
    """The engine's answer. ``allowed`` when nothing refuses (after the forced rules)."""

    authority: Authority
    refusals: list[Refusal] = field(default_factory=list)
    forced: tuple[str, ...] = ()
    record: object = None
    waiting_entry: WaitingListEntry | None = None  # the person's live entry on this slot
    may_join_waiting_list: bool = False
    registration_closes_at: dt.datetime | None = None
    cancellation_closes_at: dt.datetime | None = None
    registered_here_by: int | None = None  # who made the person's active registration on this slot, if any

    @property
    def allowed(self):
        return not self.refusals

    @property
    def codes(self):
        return [r.code for r in self.refusals]

    @property
    def message(self):
        return self.refusals[0].message if self.refusals else ""

    @property
    def is_full_only(self):
        """Refused only because the slot is full: the waiting list is the way in."""
        return self.codes == [Code.FULL]

    @property
    def forcible_codes(self):
        return tuple(r.code for r in self.refusals if r.forcible)

    @property
    def could_force(self):
        """Every refusal could be forced by this caller."""
        return bool(self.refusals) and all(r.forcible for r in self.refusals)


# --- Who registers whom ------------------------------------------------------------------


def registrant_record(site, person):
    """The person's record on the site that registrations hang on: pupil, then student, then visitor."""
    for model, related in (
        (PupilRecord, ("high_school", "level", "bachelor_type", "series", "post_bachelor_level")),
        (StudentRecord, ("institution", "level")),
        (VisitorRecord, ()),
    ):
        record = model.objects.filter(site=site, user=person).select_related(*related).first()
        if record is not None:
            return record
    return None


def _manager_authority(actor, slot) -> Authority:
    owner = owner_of(slot)
    if _manages_owner(actor, owner, structure_level=False):
        return Authority.ESTABLISHMENT
    return Authority.MANAGER if _manages_owner(actor, owner) else Authority.NONE


def authority_of(by, person, slot, site, record=None) -> Authority:
    """What ``by`` may do when registering ``person`` on ``slot``."""
    if by is None:
        return Authority.NONE
    actor = actor_for(by, site)
    if authority := _manager_authority(actor, slot):
        return authority
    if by.pk == person.pk:
        return Authority.SELF if actor.roles & {Role.PUPIL, Role.STUDENT, Role.VISITOR} else Authority.NONE
    return Authority.HIGH_SCHOOL if may_register_pupil(actor, record, site) else Authority.NONE


# --- Eligibility restrictions -------------------------------------------------------------


def restriction_ids(slot) -> dict[str, set]:
    """{restriction name: ids allowed} for the slot: from the prefetched lists when the page
    loaded them, else in one query (a union over the eight link tables)."""
    prefetched = getattr(slot, "_prefetched_objects_cache", {})
    if all(name in prefetched for name in Slot.RESTRICTION_FIELDS):
        return {name: {obj.pk for obj in getattr(slot, name).all()} for name in Slot.RESTRICTION_FIELDS}
    queries = []
    for name in Slot.RESTRICTION_FIELDS:
        field = type(slot)._meta.get_field(name)
        queries.append(
            field.remote_field.through.objects.filter(**{field.m2m_field_name(): slot.pk})
            .annotate(kind=Value(name, output_field=CharField()))
            .values_list("kind", field.m2m_reverse_field_name())
        )
    found = {name: set() for name in Slot.RESTRICTION_FIELDS}
    for name, pk in queries[0].union(*queries[1:], all=True):
        found[name].add(pk)
    return found


def restriction_problems(slot, record) -> list[str]:
    """Translated reasons why this record does not meet the slot's restrictions (empty: it does).

    Three families, each one applying only when set: where the person studies (allowed
    establishments / high schools), their level (high-school, post-bac or student levels) and
    their baccalaureate (type, technological series, general specialities). Inside a family any
    match is enough; every family that is set must match.
    """
    problems = []
    pupil = record if isinstance(record, PupilRecord) else None
    student = record if isinstance(record, StudentRecord) else None
    ids = restriction_ids(slot)

    def _ids(_slot, name):
        return ids[name]

    establishments, high_schools = _ids(slot, "allowed_establishments"), _ids(slot, "allowed_high_schools")
    if establishments or high_schools:
        matches = bool(pupil and pupil.high_school_id in high_schools)
        if student and student.institution_id and establishments:
            matches = (
                matches
                or Establishment.objects.filter(pk__in=establishments, institution_id=student.institution_id).exists()
            )
        if not matches:
            problems.append(_("This slot is reserved for people from some establishments or high schools."))

    hs_levels, pb_levels = _ids(slot, "allowed_high_school_levels"), _ids(slot, "allowed_post_bachelor_levels")
    st_levels = _ids(slot, "allowed_student_levels")
    if hs_levels or pb_levels or st_levels:
        matches = bool(
            (pupil and pupil.level_id in hs_levels)
            or (pupil and pupil.post_bachelor_level_id in pb_levels)
            or (student and student.level_id in st_levels)
        )
        if not matches:
            problems.append(_("This slot is reserved for other levels."))

    types, series = _ids(slot, "allowed_bachelor_types"), _ids(slot, "allowed_series")
    specialities = _ids(slot, "allowed_specialities")
    if types or series or specialities:
        bachelor_type = pupil.bachelor_type_id if pupil else (student.origin_bachelor_type_id if student else None)
        matches = not types or bachelor_type in types
        if matches and series:
            matches = bool(pupil and pupil.series_id in series)
        if matches and specialities:
            matches = bool(pupil and {s.pk for s in pupil.specialities.all()} & specialities)
        if not matches:
            problems.append(_("This slot is reserved for other baccalaureates or specialities."))
    return problems


# --- The decision ---------------------------------------------------------------------------


def _is_visible(slot, today):
    parent = slot.course if slot.course_id else slot.event
    if not (slot.published and parent.is_visible_on(today)):
        return False
    return not slot.course_id or slot.course.training.is_active


def timing_codes(slot, now, closes=None) -> list[str]:
    """The clock rules refusing a registration on ``slot`` at ``now`` (empty: the clock lets it in).

    Started, registration window not open or closed, slot deadline passed (``closes``: the
    slot's effective registration deadline, computed when not given). The slot's period is read.
    """
    if now >= slot_start(slot):
        return [Code.SLOT_STARTED]
    codes = []
    period = slot.period
    if now < period.registration_start:
        codes.append(Code.WINDOW_NOT_OPEN)
    elif now > period.registration_end:
        codes.append(Code.WINDOW_CLOSED)
    if closes is None:
        closes, _cancellation = effective_deadlines(slot)
    if now > closes:
        codes.append(Code.DEADLINE_PASSED)
    return codes


def _timing_refusals(slot, now, closes) -> list[tuple[str, str]]:
    """(code, message) of each clock rule refusing a registration (a person's or a group's) now."""
    period, refusals = slot.period, []
    for code in timing_codes(slot, now, closes):
        if code == Code.SLOT_STARTED:
            message = _("This slot has already started.")
        elif code == Code.WINDOW_NOT_OPEN:
            opens = date_format(timezone.localtime(period.registration_start), "DATETIME_FORMAT")
            message = _("Registrations for %(period)s open on %(date)s.") % {"period": period.label, "date": opens}
        elif code == Code.WINDOW_CLOSED:
            message = _("Registrations for %(period)s are closed.") % {"period": period.label}
        else:
            message = _("Registrations for this slot closed on %(date)s.") % {
                "date": date_format(closes, "DATETIME_FORMAT")
            }
        refusals.append((code, message))
    return refusals


def _slot_refusals(slot, today) -> list[tuple[str, str]]:
    """Cancelled, or not open to registrations (unpublished, hidden, inactive training)."""
    if slot.cancelled_at is not None:
        return [(Code.SLOT_CANCELLED, _("This slot has been cancelled."))]
    if not _is_visible(slot, today):
        return [(Code.NOT_PUBLISHED, _("This slot is not open to registrations."))]
    return []


def takes_registrations_at(slot, now) -> bool:
    """Does the clock let anybody register on ``slot`` at ``now``, deadlines forced by nobody?"""
    return not timing_codes(slot, now)


def takes_newcomers_filter(now) -> Q:
    """Slots where a newcomer finds a place (a query filter, the count side of the "full" rule):
    individual registrations, places left after those held by live waiting-list offers, and
    nobody waiting in line (a freed place goes to the line first)."""
    offers = (
        WaitingListEntry.objects.filter(slot=OuterRef("pk"), status=WaitingStatus.OFFERED, offer_expires_at__gt=now)
        .order_by()
        .values("slot")
        .annotate(n=Count("pk"))
        .values("n")
    )
    waiting = WaitingListEntry.objects.filter(slot=OuterRef("pk"), status=WaitingStatus.WAITING)
    return (
        Q(allows_individual_registrations=True)
        & Q(individual_places__gt=F("individual_places_taken") + Coalesce(Subquery(offers), 0))
        & ~Exists(waiting)
    )


def _active(person, site):
    return Registration.objects.filter(site=site, person=person, status=Status.ACTIVE)


def live_offers(slot, now):
    """Places held by unexpired waiting-list offers on this slot."""
    return WaitingListEntry.objects.filter(slot=slot, status=WaitingStatus.OFFERED, offer_expires_at__gt=now).count()


def people_waiting(slot):
    return WaitingListEntry.objects.filter(slot=slot, status=WaitingStatus.WAITING).exists()


def _line(slot, now):
    """(live offers, people waiting) on the slot, in one query."""
    counts = WaitingListEntry.objects.filter(slot=slot, status__in=LIVE_WAITING_STATUSES).aggregate(
        offers=Count("pk", filter=Q(status=WaitingStatus.OFFERED, offer_expires_at__gt=now)),
        waiting=Count("pk", filter=Q(status=WaitingStatus.WAITING)),
    )
    return counts["offers"], counts["waiting"]


def evaluate(slot, person, *, by, site, now=None, force=(), record=None, claiming=None) -> Decision:
    """Every reason why ``by`` may not register ``person`` on ``slot`` now.

    ``force``: rule codes the caller asks to force past; those within their authority are
    lifted and listed in ``Decision.forced``. ``claiming``: the person's waiting-list entry
    holding an offer, whose reserved place they take.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    record = record if record is not None else registrant_record(site, person)
    authority = authority_of(by, person, slot, site, record)
    decision = Decision(authority=authority, record=record)
    refusals = []

    def refuse(code, message):
        refusals.append(
            Refusal(code, message, forcible=authority >= FORCIBLE_BY.get(code, Authority.ESTABLISHMENT + 1))
        )

    if authority == Authority.NONE:
        decision.refusals = [Refusal(Code.NOT_ALLOWED, _("You may not register this person on this slot."))]
        return decision

    yourself = authority == Authority.SELF
    # The person
    if not person.is_active:
        refuse(Code.ACCOUNT_INACTIVE, _("This account is deactivated."))
    if record is None:
        refuse(
            Code.NO_RECORD,
            _("Complete your record before registering.") if yourself else _("This person has no record on this site."),
        )
    elif record.status != RecordStatus.VALIDATED:
        refuse(
            Code.RECORD_NOT_VALIDATED,
            _("Your record has not been validated yet.") if yourself else _("This person's record is not validated."),
        )
    elif missing_types := missing_mandatory(record, today):
        missing = ", ".join(t.label for t in missing_types)
        refuse(Code.DOCUMENTS_MISSING, _("Documents missing or expired: %(documents)s.") % {"documents": missing})
    if (
        isinstance(record, PupilRecord)
        and record.high_school_id
        and not record.high_school.accepts_individual_immersions
        and authority < Authority.HIGH_SCHOOL
    ):
        refuse(
            Code.HIGH_SCHOOL_GROUPS_ONLY,
            _("Pupils of your high school take part through their high school's group registrations."),
        )

    # The slot
    for code, message in _slot_refusals(slot, today):
        refuse(code, message)
    if not (slot.allows_individual_registrations and site.individual_registrations_enabled):
        refuse(Code.NO_INDIVIDUAL_REGISTRATION, _("This slot does not take individual registrations."))
    closes, cancellation_closes = effective_deadlines(slot)
    decision.registration_closes_at, decision.cancellation_closes_at = closes, cancellation_closes
    period = slot.period
    for code, message in _timing_refusals(slot, now, closes):
        refuse(code, message)

    # The person and the slot
    if record is not None:
        for problem in restriction_problems(slot, record):
            refuse(Code.RESTRICTED, problem)
    active = _active(person, site)
    here = list(active.filter(slot=slot).values_list("registered_by_id", flat=True)[:1])
    if here:
        decision.registered_here_by = here[0]
        refuse(
            Code.ALREADY_REGISTERED,
            _("You are already registered on this slot.") if yourself else _("Already registered on this slot."),
        )
    else:
        overlapping = (
            active.filter(slot__date=slot.date, slot__start_time__lt=slot.end_time, slot__end_time__gt=slot.start_time)
            .select_related("slot__course", "slot__event")
            .first()
        )
        if overlapping is not None:
            refuse(
                Code.OVERLAP,
                _("This slot overlaps another registration: %(slot)s.") % {"slot": overlapping.slot},
            )
        quota = period.quota_per_person
        if active.filter(slot__period=period).count() >= quota:
            refuse(
                Code.PERIOD_QUOTA,
                _("You have used your %(quota)d registrations for %(period)s.")
                % {"quota": quota, "period": period.label},
            )
        if site.training_quota_enabled and slot.course_id:
            training_quota = site.training_quota
            same_training = active.filter(slot__period=period, slot__course__training_id=slot.course.training_id)
            if same_training.count() >= training_quota:
                refuse(
                    Code.TRAINING_QUOTA,
                    _("You have used your %(quota)d registrations for this training in %(period)s.")
                    % {"quota": training_quota, "period": period.label},
                )

    # Places
    # A place freed while people wait goes to the line, not to whoever comes next: the slot
    # stays full for newcomers until the line is served. ``claiming`` is the entry being served.
    entry = (
        claiming
        if claiming is not None
        else WaitingListEntry.objects.filter(slot=slot, person=person, status__in=LIVE_WAITING_STATUSES).first()
    )
    decision.waiting_entry = entry
    holds_offer = entry is not None and entry.status == WaitingStatus.OFFERED and entry.offer_expires_at > now
    if holds_offer and claiming is None and authority == Authority.HIGH_SCHOOL:
        # The place held for the pupil is theirs to take; for a referent who may not see their
        # immersions, the slot reads as it does for any other pupil (else "allowed" would tell).
        holds_offer = may_see_immersions_of(by, record, site)
    offers, waiting = _line(slot, now)
    held = offers - (1 if holds_offer else 0)
    free = slot.individual_places - slot.individual_places_taken - held
    if free <= 0 or (claiming is None and not holds_offer and waiting):
        refuse(Code.FULL, _("This slot is full."))

    forced = tuple(sorted({r.code for r in refusals if r.forcible and r.code in set(force)}))
    decision.forced = forced
    decision.refusals = [r for r in refusals if r.code not in forced]
    decision.may_join_waiting_list = (
        decision.is_full_only and site.waiting_list_enabled and authority == Authority.SELF and entry is None
    )
    if authority == Authority.HIGH_SCHOOL:
        return as_seen_by(decision, by, site)
    return decision


#: Refusals that tell something of the person's immersions (their other registrations).
REVEALING = frozenset({Code.ALREADY_REGISTERED, Code.OVERLAP, Code.PERIOD_QUOTA, Code.TRAINING_QUOTA})


def as_seen_by(decision, by, site) -> Decision:
    """The engine's answer as ``by`` may see it.

    When ``by`` may not see the person's immersions (:func:`~apps.accounts.policy.may_see_immersions_of`:
    a high-school referent of a pupil who did not share them), no refusal may reveal them:
    "already registered", "overlaps <slot>", "quota used" are dropped, and when nothing else
    refuses, one neutral "cannot be registered by you" stands for them. The other reasons
    (slot full or closed, record, restrictions) are the same for anyone and stay, so that a
    full slot reads "full" for every pupil alike. One exception: "already registered" on a
    registration ``by`` made themselves (they know of it: it is on their list).
    """
    record = decision.record
    if decision.allowed or by is None or record is None or by.pk == record.user_id:
        return decision
    if not REVEALING.intersection(decision.codes) or may_see_immersions_of(by, record, site):
        return decision
    known = decision.registered_here_by is not None and decision.registered_here_by == by.pk
    refusals = [
        r for r in decision.refusals if r.code not in REVEALING or (known and r.code == Code.ALREADY_REGISTERED)
    ]
    if not refusals:
        refusals = [Refusal(Code.UNDISCLOSED, _("Cannot be registered by you."))]
    return dataclasses.replace(decision, refusals=refusals, forced=(), waiting_entry=None, may_join_waiting_list=False)


def cancellation_clock_problem(slot, now) -> str | None:
    """Why nobody but the slot's managers may cancel on it now (None: the clock lets them)."""
    if now >= slot_start(slot):
        return _("This slot has already started.")
    _closes, cancellation_closes = effective_deadlines(slot)
    if now > cancellation_closes:
        return _("Cancellations for this slot closed on %(date)s; contact the organisers.") % {
            "date": date_format(cancellation_closes, "DATETIME_FORMAT")
        }
    return None


def cancellation_problem(registration, *, by, site, now=None) -> str | None:
    """Why ``by`` may not cancel this registration now (None: they may).

    The slot's managers may, at any time; the person themselves and the high-school referents
    who follow it (:func:`~apps.accounts.policy.may_follow_registration`: the pupil shares
    their immersions, or the referent made it) until the cancellation deadline.
    """
    now = now or timezone.now()
    if registration.status != Status.ACTIVE:
        return _("This registration is already cancelled.")
    slot = registration.slot
    actor = actor_for(by, site)
    if _manages_owner(actor, owner_of(slot)):
        return None
    own = by is not None and by.pk == registration.person_id
    if not (own or may_follow_registration(actor, registration, site)):
        return _("You may not cancel this registration.")
    return cancellation_clock_problem(slot, now)


# --- Groups -----------------------------------------------------------------------------------
#
# A class of a high school on a slot, registered by its referent or a manager of the slot (see
# :mod:`.groups`, which locks, counts and writes). The same codes, the same forcing: managers
# force past the registration window, the deadline and the high-school restriction; nobody
# forces past the places, a started, cancelled or unpublished slot. The restrictions on levels
# and baccalaureates do not apply to a group (nothing tells its pupils' levels): only "reserved
# for establishments or high schools" does.


@dataclass
class GroupDecision(Decision):
    """:class:`Decision` for a group: ``places_left`` on the slot for groups."""

    places_left: int = 0

    @property
    def is_manager(self):
        return self.authority >= Authority.MANAGER


def group_places_left(slot) -> int:
    """Pupil places left for groups (one-group slots: all of them, or none once a group is there)."""
    if slot.group_mode == Slot.GroupMode.ONE_GROUP:
        return 0 if slot.group_places_taken else slot.group_places
    return max(slot.group_places - slot.group_places_taken, 0)


def takes_groups(slot, site) -> bool:
    """Do the site and the slot take group registrations at all? (No query.)"""
    return site.group_registrations_enabled and slot.allows_group_registrations


def group_authority_of(by, high_school, slot, site) -> Authority:
    """What ``by`` may do when registering a group of ``high_school`` on ``slot`` (the policy's ADD)."""
    if by is None:
        return Authority.NONE
    actor = actor_for(by, site)
    if not can(actor, Action.ADD, GroupRegistration(site_id=site.pk, slot=slot, high_school=high_school), site):
        return Authority.NONE
    if high_school.site_id != site.pk:
        return Authority.NONE
    return _manager_authority(actor, slot) or Authority.HIGH_SCHOOL


def _group_places_refusals(slot, pupils_count, left) -> list[tuple[str, str]]:
    if pupils_count is None:  # "may a group come at all?"
        return [] if left > 0 else [(Code.FULL, _("No group places are left on this slot."))]
    if pupils_count < 1:
        return [(Code.GROUP_EMPTY, _("A group has at least one pupil."))]
    if slot.group_mode == Slot.GroupMode.ONE_GROUP:
        if slot.group_places_taken:
            return [(Code.FULL, _("A group is already registered on this slot."))]
        if pupils_count > slot.group_places:
            message = _("This slot takes a group of at most %(places)d pupils.") % {"places": slot.group_places}
            return [(Code.GROUP_TOO_LARGE, message)]
        return []
    if left <= 0:
        return [(Code.FULL, _("No group places are left on this slot."))]
    if pupils_count > left:
        return [(Code.GROUP_TOO_LARGE, _("Only %(left)d group places are left on this slot.") % {"left": left})]
    return []


def evaluate_group(slot, high_school, *, by, site, pupils_count=None, now=None, force=()) -> GroupDecision:
    """Every reason why ``by`` may not register a group of ``high_school`` on ``slot`` now.

    ``pupils_count``: the group's size (None: may any group come?). ``force``: rule codes to
    force past, honoured within ``by``'s authority (listed in ``forced``), as for :func:`evaluate`.
    """
    now = now or timezone.now()
    authority = group_authority_of(by, high_school, slot, site)
    left = group_places_left(slot)
    decision = GroupDecision(authority=authority, places_left=left)
    if authority == Authority.NONE:
        decision.refusals = [Refusal(Code.NOT_ALLOWED, _("You may not register a group of this high school."))]
        return decision
    found = []
    if not high_school.is_active:
        found.append((Code.HIGH_SCHOOL_INACTIVE, _("This high school is not active on the site.")))
    if not takes_groups(slot, site):
        found.append((Code.NO_GROUP_REGISTRATION, _("This slot does not take group registrations.")))
    found += _slot_refusals(slot, timezone.localdate(now))
    closes, cancellation_closes = effective_deadlines(slot)
    decision.registration_closes_at, decision.cancellation_closes_at = closes, cancellation_closes
    found += _timing_refusals(slot, now, closes)
    ids = restriction_ids(slot)
    if (ids["allowed_establishments"] or ids["allowed_high_schools"]) and high_school.pk not in ids[
        "allowed_high_schools"
    ]:
        found.append((Code.RESTRICTED, _("This slot is reserved for other high schools.")))
    found += _group_places_refusals(slot, pupils_count, left)
    refusals = [
        Refusal(code, message, forcible=authority >= FORCIBLE_BY.get(code, Authority.ESTABLISHMENT + 1))
        for code, message in found
    ]
    decision.forced = tuple(sorted({r.code for r in refusals if r.forcible and r.code in set(force)}))
    decision.refusals = [r for r in refusals if r.code not in decision.forced]
    return decision


def group_cancellation_problem(group, *, by, site, now=None) -> str | None:
    """Why ``by`` may not cancel this group registration now (None: they may).

    The slot's managers may, at any time; the referents of the group's high school until the
    cancellation deadline.
    """
    now = now or timezone.now()
    if group.status != Status.ACTIVE:
        return _("This group registration is already cancelled.")
    actor = actor_for(by, site)
    if _manages_owner(actor, owner_of(group.slot)):
        return None
    if not can(actor, Action.CANCEL, group, site):
        return _("You may not cancel this group registration.")
    return cancellation_clock_problem(group.slot, now)


def usable_reasons(kind: str, site):
    """Cancellation reasons a registrant (``kind="registrant"``) or a manager may pick."""
    flag = {"registrant": "usable_by_registrants", "manager": "usable_by_managers", "system": "usable_by_system"}[kind]
    return CancellationReason.objects.filter(Q(**{flag: True}), site=site, is_active=True).order_by("position", "label")
