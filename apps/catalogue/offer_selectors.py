"""Read side of the back office for courses and events: lists, choices, speakers, "my slots".

Every function runs a fixed number of queries whatever the number of rows, and asks
:mod:`apps.accounts.policy` (``offer_filter``) which rows the person may see or change.
"""

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, Count, F, Q, Sum, Value, When
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment
from apps.accounts.policy import Action, offer_filter, owner_of
from apps.organisations.models import Establishment, HighSchool, Structure
from apps.referentials.models import EventType

from .models import Course, Event, Slot, Training

OFFER_MODELS = {"course": Course, "event": Event}


def _may_change(actor, model):
    """An annotation: may the actor change this row? (no query per row)"""
    condition = offer_filter(actor, model, Action.CHANGE)
    if not condition:  # the master referent: everything
        return Value(True, output_field=BooleanField())
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _upcoming_slot_aggregates(today):
    upcoming = Q(slots__date__gte=today, slots__cancelled_at__isnull=True)
    return {
        "upcoming_slots": Count("slots", filter=upcoming, distinct=True),
        "places_total": Sum(F("slots__individual_places") + F("slots__group_places"), filter=upcoming),
        "places_taken": Sum(F("slots__individual_places_taken") + F("slots__group_places_taken"), filter=upcoming),
    }


def visible(actor, site, model, *, action=Action.VIEW):
    """The rows of ``model`` (Course or Event) of this site the actor may see (or change)."""
    return model.objects.filter(site=site).filter(offer_filter(actor, model, action))


def course_rows(actor, site):
    """Courses the actor sees, with their owner and upcoming slots' counts: one query a page."""
    return (
        visible(actor, site, Course)
        .select_related("training__structure__establishment", "training__high_school")
        .annotate(**_upcoming_slot_aggregates(timezone.localdate()), may_change=_may_change(actor, Course))
    )


def event_rows(actor, site):
    """Events the actor sees, with their owner and upcoming slots' counts: one query a page."""
    return (
        visible(actor, site, Event)
        .select_related("event_type", "establishment", "structure", "high_school")
        .annotate(**_upcoming_slot_aggregates(timezone.localdate()), may_change=_may_change(actor, Event))
    )


def get_offer(actor, site, kind, pk):
    """A course or event the actor sees, or None."""
    model = OFFER_MODELS[kind]
    related = (
        ("training__structure__establishment", "training__high_school")
        if model is Course
        else ("event_type", "establishment", "structure", "high_school")
    )
    return visible(actor, site, model).select_related(*related).filter(pk=pk).first()


def upcoming_slots(obj, limit=20):
    today = timezone.localdate()
    return list(
        obj.slots.filter(date__gte=today)
        .select_related("campus", "building", "place_high_school")
        .order_by("date", "start_time")[:limit]
    )


# --- Choices of the forms ---------------------------------------------------------------


def course_trainings(actor, site):
    """Trainings the actor may add courses to (the form's choices; ADD is checked again)."""
    rows = Training.objects.filter(site=site, is_active=True).select_related("structure__establishment", "high_school")
    if actor.is_master:
        return rows
    return rows.filter(
        Q(structure__in=actor.managed_structures)
        | Q(structure__establishment__in=actor.managed_establishments)
        | Q(high_school__in=actor.host_high_schools)
    )


def event_owner_choices(actor, site):
    """(establishments, structures, host high schools) the actor may give an event to."""
    establishments = Establishment.objects.filter(site=site, is_active=True)
    structures = Structure.objects.filter(site=site, is_active=True).select_related("establishment")
    high_schools = HighSchool.objects.filter(site=site, is_active=True, hosts_post_bac_trainings=True)
    if actor.is_master:
        return establishments, structures, high_schools
    own_establishments = set(actor.managed_establishments) | {
        actor.structure_establishments[s] for s in actor.managed_structures
    }
    return (
        establishments.filter(pk__in=own_establishments),
        structures.filter(Q(establishment__in=actor.managed_establishments) | Q(pk__in=actor.managed_structures)),
        high_schools.filter(pk__in=actor.host_high_schools),
    )


def event_types(site):
    return EventType.objects.filter(site=site, is_active=True)


# --- Speakers ---------------------------------------------------------------------------


def speaker_scope(obj):
    """Where the speakers of a course or event come from: {"establishment": id} or {"high_school": id}."""
    owner = owner_of(obj)
    if owner.high_school_id:
        return {"high_school_id": owner.high_school_id}
    return {"establishment_id": owner.establishment_id}


def eligible_speakers(site, obj):
    """People holding the speaker role on the owner establishment (or host high school)."""
    holders = RoleAssignment.objects.filter(site=site, role=Role.SPEAKER, **speaker_scope(obj))
    return get_user_model().objects.filter(pk__in=holders.values("user_id")).order_by("last_name", "first_name", "pk")


# --- "My slots" and their registrants ----------------------------------------------------


def my_slots(actor, site, *, past=False):
    """The slots the person speaks in, upcoming (soonest first) or past (latest first)."""
    today = timezone.localdate()
    rows = Slot.objects.filter(site=site, speakers=actor.user).select_related(
        "course__training__structure",
        "course__training__high_school",
        "event__establishment",
        "event__high_school",
        "campus",
        "building",
        "place_high_school",
    )
    if past:
        return rows.filter(date__lt=today).order_by("-date", "-start_time", "pk")
    return rows.filter(date__gte=today).order_by("date", "start_time", "pk")


def get_slot(actor, site, pk):
    """A slot the actor sees (as manager, consultant or speaker), or None."""
    return (
        Slot.objects.filter(site=site, pk=pk)
        .filter(offer_filter(actor, Slot, Action.VIEW))
        .select_related("course", "event", "campus", "building", "place_high_school")
        .first()
    )
