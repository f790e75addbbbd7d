"""Read side of the public offer pages: the offer tree, trainings, courses, events, organisations.

Every function filters on the site explicitly, shows only the public offer (published
courses / events inside their publication window, of active trainings; published, not
cancelled, upcoming slots) and runs a fixed number of queries whatever the number of rows.
Nothing here reads speakers or any other personal data.
"""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from apps.catalogue.models import Course, Slot, Training
from apps.organisations.models import Establishment, HighSchool, Structure
from apps.referentials.models import TrainingDomain, TrainingSubdomain

from .selectors import upcoming_public_slots

SLOT_PLACE_RELATIONS = ("campus__establishment", "building", "place_high_school")


def visible_q(prefix=""):
    """Published and inside its publication window today (a course or an event)."""
    today = timezone.localdate()
    return (
        Q(**{f"{prefix}published": True})
        & (Q(**{f"{prefix}publication_start__isnull": True}) | Q(**{f"{prefix}publication_start__lte": today}))
        & (Q(**{f"{prefix}publication_end__isnull": True}) | Q(**{f"{prefix}publication_end__gte": today}))
    )


def upcoming_slot_q(prefix=""):
    """A published, not cancelled slot still to come."""
    now = timezone.localtime()
    later_today = Q(**{f"{prefix}date": now.date(), f"{prefix}start_time__gt": now.time()})
    return Q(**{f"{prefix}published": True, f"{prefix}cancelled_at__isnull": True}) & (
        Q(**{f"{prefix}date__gt": now.date()}) | later_today
    )


def public_courses(site):
    return Course.objects.filter(visible_q(), site=site, training__is_active=True)


def _upcoming_slots_prefetch(to_attr="upcoming_slots"):
    slots = (
        Slot.objects.filter(upcoming_slot_q())
        .select_related(*SLOT_PLACE_RELATIONS)
        .order_by("date", "start_time", "pk")
    )
    return Prefetch("slots", queryset=slots, to_attr=to_attr)


# --- Domains and subdomains ------------------------------------------------------------------


def offer_tree(site):
    """Active domains, each with ``subdomains`` (active), each with ``courses_count``: the number of
    courses with at least one upcoming public slot. Three queries."""
    rows = (
        upcoming_public_slots(site)
        .filter(course__isnull=False)
        .values("course__training__subdomains")
        .annotate(n=Count("course", distinct=True))
        .order_by()
    )
    counts = {row["course__training__subdomains"]: row["n"] for row in rows}
    domains = list(TrainingDomain.objects.filter(site=site, is_active=True).order_by("position", "label"))
    subdomains = defaultdict(list)
    for subdomain in TrainingSubdomain.objects.filter(site=site, is_active=True, domain__in=domains).order_by(
        "position", "label"
    ):
        subdomain.courses_count = counts.get(subdomain.pk, 0)
        subdomains[subdomain.domain_id].append(subdomain)
    for domain in domains:
        domain.public_subdomains = subdomains[domain.pk]
        domain.courses_count = sum(s.courses_count for s in domain.public_subdomains)
    return [domain for domain in domains if domain.public_subdomains]


def _trainings(site):
    courses = public_courses(site).annotate(
        upcoming_count=Count("slots", filter=upcoming_slot_q("slots__"), distinct=True)
    )
    return (
        Training.objects.filter(site=site, is_active=True)
        .select_related("structure__establishment", "high_school")
        .prefetch_related(Prefetch("courses", queryset=courses.order_by("label"), to_attr="public_courses"))
        .order_by("label", "pk")
    )


def subdomain_page(site, pk):
    """(subdomain, its active trainings with ``public_courses`` each with ``upcoming_count``), or None."""
    subdomain = (
        TrainingSubdomain.objects.filter(site=site, pk=pk, is_active=True, domain__is_active=True)
        .select_related("domain")
        .first()
    )
    if subdomain is None:
        return None
    return subdomain, list(_trainings(site).filter(subdomains=subdomain))


def training_page(site, pk):
    """The active training with its subdomains and ``public_courses``, each with ``upcoming_slots``; or None."""
    courses = public_courses(site).prefetch_related(_upcoming_slots_prefetch()).order_by("label")
    return (
        Training.objects.filter(site=site, pk=pk, is_active=True)
        .select_related("structure__establishment", "high_school")
        .prefetch_related(
            Prefetch("subdomains", queryset=TrainingSubdomain.objects.select_related("domain")),
            Prefetch("courses", queryset=courses, to_attr="public_courses"),
        )
        .first()
    )


def course_page(site, pk):
    """The public course with its training and ``upcoming_slots``; or None."""
    return (
        public_courses(site)
        .filter(pk=pk)
        .select_related("training__structure__establishment", "training__high_school")
        .prefetch_related(_upcoming_slots_prefetch())
        .first()
    )


# --- Events ------------------------------------------------------------------------------------


def event_slots_by_type(site):
    """[(event type, [upcoming public slots of its events])], types in their order. One query."""
    slots = (
        upcoming_public_slots(site)
        .filter(event__isnull=False)
        .select_related("event__event_type", "event__establishment", "event__high_school", *SLOT_PLACE_RELATIONS)
        .order_by("event__event_type__position", "event__event_type__label", "date", "start_time", "pk")
    )
    groups = []
    for slot in slots:
        if not groups or groups[-1][0].pk != slot.event.event_type_id:
            groups.append((slot.event.event_type, []))
        groups[-1][1].append(slot)
    return groups


# --- The slot page ---------------------------------------------------------------------------------


def public_slot_filter(site):
    """Slots whose page is public: published, not cancelled, their course / event visible today."""
    return Slot.objects.filter(
        (visible_q("course__") & Q(course__training__is_active=True)) | visible_q("event__"),
        site=site,
        published=True,
        cancelled_at__isnull=True,
    )


def slot_with_details(queryset, pk):
    """One slot with everything its page shows (offer, owner, place, period, restrictions)."""
    return (
        queryset.filter(pk=pk)
        .select_related(
            "course__training__structure__establishment",
            "course__training__high_school",
            "event__event_type",
            "event__establishment",
            "event__high_school",
            "course_type",
            "period",
            *SLOT_PLACE_RELATIONS,
        )
        .prefetch_related(*Slot.RESTRICTION_FIELDS)
        .first()
    )


def restrictions_in_words(slot):
    """[(restriction name, [labels])] of the restrictions set on a slot (prefetched)."""
    described = []
    for name in Slot.RESTRICTION_FIELDS:
        labels = [str(obj) for obj in getattr(slot, name).all()]
        if labels:
            described.append((Slot._meta.get_field(name).verbose_name, labels))
    return described


def owner_label(slot):
    """The establishment (and structure) or host high school that offers the slot."""
    if slot.course_id:
        training = slot.course.training
        if training.structure_id:
            return f"{training.structure.establishment.label} — {training.structure.label}"
        return str(training.high_school)
    event = slot.event
    if event.establishment_id:
        return event.establishment.label
    return str(event.high_school)


# --- Organisations ---------------------------------------------------------------------------------


def host_establishments(site):
    """Active establishments with their active ``public_structures``. Two queries."""
    return list(
        Establishment.objects.filter(site=site, is_active=True)
        .prefetch_related(
            Prefetch(
                "structures",
                queryset=Structure.objects.filter(is_active=True).order_by("label"),
                to_attr="public_structures",
            )
        )
        .order_by("-is_master", "label")
    )


def partner_high_schools(site):
    """Active high schools with an agreement in force today. One query."""
    today = timezone.localdate()
    return list(
        HighSchool.objects.filter(site=site, is_active=True, agreement_start__lte=today)
        .filter(Q(agreement_end__isnull=True) | Q(agreement_end__gte=today))
        .order_by("city", "label")
    )
