"""What a high-school referent sees of their pupils' registrations and their group registrations.

Their pupils are the pupil records of the site whose high school is one of theirs. A pupil's
immersions are shown only when the pupil consented (``consent_high_school_sees_immersions``, as
the policy reads it: :func:`~apps.accounts.policy.may_follow_registration`),
with one exception: registrations the referent made themselves (``registered_by``) — they
know of them already, and must be able to follow and cancel what they did. Pupils who did
not consent appear only as a count of pupils, never with their immersions nor whether they
have any.

Every list here costs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from apps.accounts.policy import actor_for, followed_registrations_filter, immersions_visible_filter
from apps.catalogue.selectors import effective_deadlines, slot_start
from apps.organisations.models import HighSchool
from apps.records.models import PupilRecord, RecordStatus

from .models import GroupRegistration, Registration, Status
from .rules import cancellation_clock_problem

WHEN_CHOICES = ("upcoming", "past", "cancelled", "all")

SLOT_RELATED = (
    "slot__course__training",
    "slot__course_type",
    "slot__event",
    "slot__period",
    "slot__campus",
    "slot__building",
    "slot__place_high_school",
)


def referent_high_school_ids(user, site) -> frozenset:
    return actor_for(user, site).referent_high_schools


def referent_high_schools(site, ids):
    return HighSchool.objects.filter(site=site, pk__in=ids).order_by("label")


def pupils_of(site, high_school_ids):
    """The pupil records of these high schools on this site."""
    return PupilRecord.objects.filter(site=site, high_school_id__in=high_school_ids)


def _upcoming_q(now, prefix="slot__"):
    local = timezone.localtime(now)
    return Q(**{f"{prefix}date__gt": local.date()}) | Q(
        **{f"{prefix}date": local.date(), f"{prefix}start_time__gt": local.time()}
    )


def _when_q(when, now):
    if when == "upcoming":
        return Q(status=Status.ACTIVE) & _upcoming_q(now)
    if when == "past":
        return Q(status=Status.ACTIVE) & ~_upcoming_q(now)
    if when == "cancelled":
        return Q(status=Status.CANCELLED)
    return Q()


def _name_q(name):
    q = Q()
    for word in name.split():
        q &= Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word)
    return q


def visible_registrations(site, referent, high_school_ids):
    """Registrations of the referent's pupils they may see: consented, or made by the referent.

    The policy's answer (:func:`~apps.accounts.policy.may_follow_registration`, here as a
    filter); the pages, the dashboard and the statistics all read through this.
    """
    actor = actor_for(referent, site)
    return Registration.objects.filter(site=site).filter(followed_registrations_filter(actor, high_school_ids))


def _decorate(registration, now):
    """A listed registration (or group), with whether its referent may cancel it now (the rule
    book's clock: the rights are given, the list holding only what the referent follows)."""
    slot = registration.slot
    _closes, cancellation_closes = effective_deadlines(slot)
    registration.is_upcoming = registration.status == Status.ACTIVE and now < slot_start(slot)
    registration.cancellation_closes_at = cancellation_closes
    registration.may_cancel = registration.status == Status.ACTIVE and cancellation_clock_problem(slot, now) is None
    return registration


@dataclass
class PupilsImmersions:
    registrations: list
    hidden_pupils: int  # pupils of the referent's high schools who did not share their immersions


def pupils_immersions(site, referent, high_school_ids, *, when="upcoming", name="", now=None):
    """The query of the referent's pupils' visible registrations (filtered), and the count of hidden pupils.

    ``registrations`` is a queryset (the caller paginates it); decorate a page with
    :func:`decorate_page`.
    """
    now = now or timezone.now()
    record = PupilRecord.objects.filter(site=site, user_id=OuterRef("person_id"))
    queryset = (
        visible_registrations(site, referent, high_school_ids)
        .filter(_when_q(when, now))
        .filter(_name_q(name))
        .select_related("person", "cancellation_reason", "registered_by", *SLOT_RELATED)
        .annotate(
            pupil_class=Subquery(record.values("class_name")[:1]),
            pupil_high_school=Subquery(record.values("high_school__label")[:1]),
            pupil_consented=Exists(record.filter(immersions_visible_filter(actor_for(referent, site)))),
        )
    )
    if when in ("past", "cancelled"):
        queryset = queryset.order_by("-slot__date", "-slot__start_time", "person__last_name", "pk")
    else:
        queryset = queryset.order_by("slot__date", "slot__start_time", "person__last_name", "pk")
    hidden = pupils_of(site, high_school_ids).exclude(immersions_visible_filter(actor_for(referent, site))).count()
    return PupilsImmersions(queryset, hidden)


def decorate_page(registrations, now=None):
    now = now or timezone.now()
    return [_decorate(r, now) for r in registrations]


def registrable_pupils(site, high_school_ids, *, class_name="", name=""):
    """The referent's validated pupils, for registering them on a slot."""
    queryset = pupils_of(site, high_school_ids).filter(status=RecordStatus.VALIDATED)
    if class_name:
        queryset = queryset.filter(class_name=class_name)
    for word in name.split():
        queryset = queryset.filter(Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word))
    return queryset.select_related(
        "user", "high_school", "level", "bachelor_type", "series", "post_bachelor_level"
    ).order_by("user__last_name", "user__first_name", "pk")


def class_names(site, high_school_ids):
    return list(
        pupils_of(site, high_school_ids)
        .filter(status=RecordStatus.VALIDATED)
        .exclude(class_name="")
        .order_by("class_name")
        .values_list("class_name", flat=True)
        .distinct()
    )


def group_registrations(site, high_school_ids, *, when="upcoming", now=None):
    """The groups of the referent's high schools (a queryset, ordered by slot date)."""
    now = now or timezone.now()
    queryset = (
        GroupRegistration.objects.filter(site=site, high_school_id__in=high_school_ids)
        .filter(_when_q(when, now))
        .select_related("high_school", "registered_by", *SLOT_RELATED)
    )
    if when in ("past", "cancelled"):
        return queryset.order_by("-slot__date", "-slot__start_time", "pk")
    return queryset.order_by("slot__date", "slot__start_time", "pk")
