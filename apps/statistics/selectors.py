"""What the statistics show to whom, and the figures themselves.

Scope, by role (the first that applies):

* master referent (and the operator): the whole site;
* establishment referent, structure referent, structure consultant: the slots of the offer they
  may see (``offer_filter(actor, Slot, Action.VIEW)``) and the registrations on them;
* high-school referent: the registrations of their pupils that they may see (the pupils who
  consented, or registrations they made themselves: ``visible_registrations``), whatever the slot;
* anyone else: nothing (the views answer 403).

Every figure is an aggregation in the database: one query per chart, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Exists, F, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from apps.accounts.policy import Action, offer_filter
from apps.catalogue.models import Course, Slot
from apps.records.models import PupilRecord, StudentRecord, VisitorRecord
from apps.registrations.models import Attendance, Registration, Status
from apps.registrations.referent_selectors import visible_registrations

OFFER = "offer"
PUPILS = "pupils"

ATTENDED = (Attendance.PRESENT, Attendance.REMOTE)

POPULATION_LABELS = {
    "pupil": _("Pupils"),
    "student": _("Students"),
    "visitor": _("Visitors"),
    "": _("No record"),
}


@dataclass(frozen=True)
class Scope:
    """What part of a site's data a viewer's statistics and exports cover."""

    mode: str  # OFFER or PUPILS
    actor: object
    site: object
    high_school_ids: frozenset = frozenset()

    @property
    def exports_offer(self):
        """Courses and slots exports: for those who look after an offer, not for high-school referents."""
        return self.mode == OFFER


def scope_for(actor, site) -> Scope | None:
    """The viewer's scope on this site, or None when they may not see statistics."""
    if actor.is_master or actor.managed_establishments or actor.managed_structures or actor.consulted_structures:
        return Scope(OFFER, actor, site)
    if actor.referent_high_schools:
        return Scope(PUPILS, actor, site, actor.referent_high_schools)
    return None


# --- Filtered querysets ----------------------------------------------------------------


def _slot_filters(site, filters) -> Q:
    q = Q()
    if filters.get("period"):
        q &= Q(period=filters["period"])
    if filters.get("establishment"):
        establishment = filters["establishment"]
        q &= Q(course__training__structure__establishment=establishment) | Q(event__establishment=establishment)
    if filters.get("domain"):
        # Through a many-to-many: a subquery, so that a slot never comes twice.
        in_domain = Slot.objects.filter(site=site, course__training__subdomains__domain=filters["domain"])
        q &= Q(pk__in=in_domain.values("pk"))
    if filters.get("date_from"):
        q &= Q(date__gte=filters["date_from"])
    if filters.get("date_to"):
        q &= Q(date__lte=filters["date_to"])
    return q


def slots(scope: Scope, filters=None):
    """The slots in the viewer's scope, filtered (high-school referents: every slot of the site)."""
    queryset = Slot.objects.filter(site=scope.site).filter(_slot_filters(scope.site, filters or {}))
    if scope.mode == OFFER:
        queryset = queryset.filter(offer_filter(scope.actor, Slot, Action.VIEW))
    return queryset


def courses(scope: Scope, filters=None):
    """The courses in the viewer's scope, filtered by establishment and domain (not by period or dates)."""
    filters = filters or {}
    queryset = Course.objects.filter(site=scope.site).filter(offer_filter(scope.actor, Course, Action.VIEW))
    if filters.get("establishment"):
        queryset = queryset.filter(training__structure__establishment=filters["establishment"])
    if filters.get("domain"):
        in_domain = Course.objects.filter(site=scope.site, training__subdomains__domain=filters["domain"])
        queryset = queryset.filter(pk__in=in_domain.values("pk"))
    return queryset


def registrations(scope: Scope, filters=None):
    """The individual registrations in the viewer's scope, on the filtered slots."""
    in_slots = slots(scope, filters).values("pk")
    if scope.mode == OFFER:
        base = Registration.objects.filter(site=scope.site)
    else:
        base = visible_registrations(scope.site, scope.actor.user, scope.high_school_ids)
    return base.filter(slot__in=in_slots)


# --- Dimensions ---------------------------------------------------------------------------


def _records(model, site):
    return model.objects.filter(site=site, user_id=OuterRef("person_id"))


def population_expression(site):
    """pupil / student / visitor, in the order registrations hang on records (``registrant_record``)."""
    return Case(
        When(Exists(_records(PupilRecord, site)), then=Value("pupil")),
        When(Exists(_records(StudentRecord, site)), then=Value("student")),
        When(Exists(_records(VisitorRecord, site)), then=Value("visitor")),
        default=Value(""),
        output_field=CharField(),
    )


def high_school_expression(site):
    return Subquery(_records(PupilRecord, site).values("high_school__label")[:1])


def level_expression(site):
    return Coalesce(
        Subquery(_records(PupilRecord, site).values("level__label")[:1]),
        Subquery(_records(StudentRecord, site).values("level__label")[:1]),
    )


def host_expression(prefix="slot__"):
    """The establishment (or host high school) that owns the slot's course or event."""
    return Coalesce(
        F(f"{prefix}course__training__structure__establishment__label"),
        F(f"{prefix}event__establishment__label"),
        F(f"{prefix}course__training__high_school__label"),
        F(f"{prefix}event__high_school__label"),
    )


@dataclass(frozen=True)
class Dimension:
    key: str
    title: object
    empty_label: object


DIMENSIONS = (
    Dimension("period", _("By period"), _("No period")),
    Dimension("domain", _("By training domain"), _("No domain")),
    Dimension("training", _("By training"), _("No training (events)")),
    Dimension("establishment", _("By host establishment"), _("Unknown")),
    Dimension("high_school", _("By high school"), _("No partner high school")),
    Dimension("level", _("By level"), _("No level")),
    Dimension("population", _("By population"), _("No record")),
)


def _dimension_expression(key, site):
    return {
        "period": lambda: F("slot__period__label"),
        "domain": lambda: F("slot__course__training__subdomains__domain__label"),
        "training": lambda: F("slot__course__training__label"),
        "establishment": host_expression,
        "high_school": lambda: high_school_expression(site),
        "level": lambda: level_expression(site),
        "population": lambda: population_expression(site),
    }[key]()


def _counts():
    # distinct: the domain goes through a many-to-many, a registration must count once per domain.
    return {
        "registered": Count("pk", filter=Q(status=Status.ACTIVE), distinct=True),
        "attended": Count("pk", filter=Q(status=Status.ACTIVE, attendance__in=ATTENDED), distinct=True),
        "absent": Count("pk", filter=Q(status=Status.ACTIVE, attendance=Attendance.ABSENT), distinct=True),
        "cancelled": Count("pk", filter=Q(status=Status.CANCELLED), distinct=True),
    }


@dataclass
class Row:
    label: object
    registered: int
    attended: int
    absent: int
    cancelled: int


@dataclass
class Chart:
    key: str
    title: object
    rows: list = field(default_factory=list)


def chart(scope: Scope, dimension: Dimension, filters=None) -> Chart:
    """One aggregation query: the counts of registrations per value of the dimension."""
    queryset = registrations(scope, filters).annotate(dimension=_dimension_expression(dimension.key, scope.site))
    grouped = queryset.values("dimension").annotate(**_counts())
    if dimension.key == "period":
        grouped = grouped.annotate(first_day=Min("slot__period__immersion_start")).order_by("first_day", "dimension")
    else:
        grouped = grouped.order_by("dimension")
    rows = []
    for values in grouped:
        label = values["dimension"]
        if dimension.key == "population":
            label = POPULATION_LABELS.get(label, label)
        rows.append(
            Row(
                label=label or dimension.empty_label,
                registered=values["registered"],
                attended=values["attended"],
                absent=values["absent"],
                cancelled=values["cancelled"],
            )
        )
    return Chart(dimension.key, dimension.title, rows)


def totals(scope: Scope, filters=None) -> dict:
    """The headline figures (one query)."""
    return registrations(scope, filters).aggregate(
        **_counts(), people=Count("person", filter=Q(status=Status.ACTIVE), distinct=True)
    )


def charts(scope: Scope, filters=None) -> list[Chart]:
    return [chart(scope, dimension, filters) for dimension in DIMENSIONS]
