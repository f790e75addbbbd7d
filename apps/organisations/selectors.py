"""Read side of establishments, high schools, structures, places and trainings.

Every list queryset here is built so that a page of it runs a fixed number of queries
(``select_related`` for what a row shows, annotations for its counts, one prefetch for
many-to-many values). Scope helpers return what an actor may list or use in a form;
the actor's rights themselves come from :mod:`apps.accounts.policy`.
"""

from django.db.models import Count, Prefetch, Q

from apps.accounts.policy import Action, offer_filter
from apps.catalogue.models import Training
from apps.core.search import search_is_long_enough, text_filter
from apps.directories.models import HigherEducationInstitution, SchoolDirectoryEntry
from apps.referentials.models import TrainingSubdomain

from .models import Building, Campus, Establishment, HighSchool, Structure

SEARCH_LIMIT = 15
NOTHING = Q(pk__in=[])


# --- Who may list what -------------------------------------------------------------------


def manages_places(actor) -> bool:
    """Master referents, and establishment referents (for their establishments)."""
    return actor.is_master or bool(actor.managed_establishments)


def sees_trainings(actor) -> bool:
    owners = actor.managed_establishments or actor.host_high_schools
    return actor.is_master or bool(owners or actor.managed_structures or actor.consulted_structures)


def adds_trainings(actor) -> bool:
    return actor.is_master or bool(actor.managed_establishments or actor.host_high_schools)


def _establishment_scope(actor, prefix="establishment"):
    """Q on rows whose establishment (through ``prefix``) the actor manages."""
    if actor.is_master:
        return Q()
    return Q(**{f"{prefix}__in": actor.managed_establishments})


# --- Lists ---------------------------------------------------------------------------------


def establishment_list(actor, site):
    queryset = Establishment.objects.filter(site=site).select_related("institution")
    if not actor.is_master:
        queryset = queryset.filter(pk__in=actor.managed_establishments)
    return queryset.annotate(structure_count=Count("structures", distinct=True))


def high_school_list(site):
    return HighSchool.objects.filter(site=site).annotate(training_count=Count("trainings", distinct=True))


def structure_list(actor, site):
    return (
        Structure.objects.filter(site=site)
        .filter(_establishment_scope(actor))
        .select_related("establishment")
        .annotate(training_count=Count("trainings", distinct=True))
    )


def campus_list(actor, site):
    return (
        Campus.objects.filter(site=site)
        .filter(_establishment_scope(actor))
        .select_related("establishment")
        .annotate(building_count=Count("buildings", distinct=True))
    )


def building_list(actor, site):
    return (
        Building.objects.filter(site=site)
        .filter(_establishment_scope(actor, "campus__establishment"))
        .select_related("campus__establishment")
    )


def training_list(actor, site):
    """The trainings the actor may see in the back office, with owner, subdomains and course counts."""
    subdomains = TrainingSubdomain.objects.select_related("domain").order_by("domain__label", "label")
    return (
        Training.objects.filter(site=site)
        .filter(offer_filter(actor, Training, Action.VIEW))
        .select_related("structure__establishment", "high_school")
        .prefetch_related(Prefetch("subdomains", queryset=subdomains))
        .annotate(course_count=Count("courses", distinct=True))
    )


# --- Form and filter choices ---------------------------------------------------------------


def establishments_for(actor, site, *, include=None):
    """Establishments in which the actor may add structures and campuses (active ones)."""
    queryset = Establishment.objects.filter(site=site).filter(_establishment_scope(actor, "pk"))
    return queryset.filter(Q(is_active=True) | Q(pk=getattr(include, "pk", None))).order_by("-is_master", "label")


def campuses_for(actor, site, *, include=None):
    queryset = Campus.objects.filter(site=site).filter(_establishment_scope(actor)).select_related("establishment")
    return queryset.filter(Q(is_active=True) | Q(pk=getattr(include, "pk", None))).order_by(
        "establishment__label", "label"
    )


def structures_for_trainings(actor, site, *, include=None):
    """Structures that may own the trainings the actor adds: their establishments' (all for the master)."""
    if not (actor.is_master or actor.managed_establishments):
        return Structure.objects.none()
    queryset = Structure.objects.filter(site=site).filter(_establishment_scope(actor)).select_related("establishment")
    return queryset.filter(Q(is_active=True) | Q(pk=getattr(include, "pk", None))).order_by(
        "establishment__label", "label"
    )


def host_high_schools_for(actor, site, *, include=None):
    """High schools hosting post-bac trainings that the actor may give a training to."""
    queryset = HighSchool.objects.filter(site=site, hosts_post_bac_trainings=True)
    if not actor.is_master:
        queryset = queryset.filter(pk__in=actor.host_high_schools)
    return queryset.filter(Q(is_active=True) | Q(pk=getattr(include, "pk", None))).order_by("label")


def visible_structures(actor, site):
    """Structures whose trainings the actor sees (filter choices of the trainings list)."""
    queryset = Structure.objects.filter(site=site).select_related("establishment")
    if actor.is_master:
        return queryset
    return queryset.filter(
        Q(establishment__in=actor.managed_establishments)
        | Q(pk__in=actor.managed_structures | actor.consulted_structures)
    )


def visible_host_high_schools(actor, site):
    queryset = HighSchool.objects.filter(site=site, hosts_post_bac_trainings=True)
    return queryset if actor.is_master else queryset.filter(pk__in=actor.host_high_schools)


def subdomains(site):
    """Subdomains grouped by domain order (active ones)."""
    return (
        TrainingSubdomain.objects.filter(site=site, is_active=True)
        .select_related("domain")
        .order_by("domain__position", "domain__label", "position", "label")
    )


def subdomain_groups(queryset):
    """[(domain label, [subdomain, ...]), ...] in the queryset's order."""
    groups = []
    for subdomain in queryset:
        if not groups or groups[-1][0] != subdomain.domain.label:
            groups.append((subdomain.domain.label, []))
        groups[-1][1].append(subdomain)
    return groups


# --- The national directories ----------------------------------------------------------------


def search_institutions(site, query, limit=SEARCH_LIMIT):
    """Higher-education institutions of the national directory not yet in the site. Two queries."""
    if not search_is_long_enough(query):
        return []
    taken = Establishment.objects.filter(site=site).exclude(uai="").values("uai")
    return list(
        HigherEducationInstitution.objects.filter(text_filter(query, ("label", "city", "uai")))
        .exclude(uai__in=taken)
        .order_by("label", "city")[:limit]
    )


def search_schools(site, query, limit=SEARCH_LIMIT):
    """Schools of the UAI directory not yet high schools of the site. Two queries."""
    if not search_is_long_enough(query):
        return []
    taken = HighSchool.objects.filter(site=site).values("uai")
    return list(
        SchoolDirectoryEntry.objects.filter(text_filter(query, ("label", "city", "uai")))
        .exclude(uai__in=taken)
        .order_by("label", "city")[:limit]
    )
