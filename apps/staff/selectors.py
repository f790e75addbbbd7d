"""Read side of the staff pages: the charter, what one may grant, the people in one's scope."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q

from apps.accounts.models import Role, RoleAssignment
from apps.accounts.policy import (
    record_validation_filter,
    structure_referent_establishments,
    validatable_record_models,
)
from apps.organisations.models import Establishment, HighSchool, Structure
from apps.organisations.selectors import manages_places, sees_trainings
from apps.records.models import PENDING_STATUSES, PupilRecord, StudentRecord, VisitorRecord

from .models import Charter, CharterSignature


@dataclass(frozen=True)
class CharterStatus:
    charter: Charter | None
    unsigned_establishment_ids: frozenset
    unsigned_high_school_ids: frozenset

    @property
    def is_satisfied(self):
        return not (self.unsigned_establishment_ids or self.unsigned_high_school_ids)


def current_charter(site):
    return Charter.objects.filter(site=site, published_at__isnull=False).order_by("-published_at").first()


def charter_parties(actor):
    """The host establishments (never the master) and host high schools the actor works for."""
    establishments = set(actor.managed_establishments) | set(actor.legal_establishments)
    establishments |= set(actor.speaker_establishments)
    establishments |= {actor.structure_establishments[s] for s in actor.managed_structures | actor.consulted_structures}
    high_schools = set(actor.host_high_schools) | set(actor.speaker_high_schools)
    return establishments, high_schools


def charter_status(actor, site) -> CharterStatus:
    """Which of the actor's host establishments / high schools have not signed the current charter.

    The master establishment is exempt; with no published charter, nothing is to sign.
    Two queries at most.
    """
    charter = current_charter(site)
    establishments, high_schools = charter_parties(actor)
    if charter is None or actor.is_master or not (establishments or high_schools):
        return CharterStatus(charter, frozenset(), frozenset())
    masters = set(
        Establishment.objects.filter(site=site, is_master=True, pk__in=establishments).values_list("pk", flat=True)
    )
    establishments -= masters
    signed = list(
        CharterSignature.objects.filter(site=site, charter=charter).values_list("establishment_id", "high_school_id")
    )
    signed_establishments = {e for e, _h in signed if e}
    signed_high_schools = {h for _e, h in signed if h}
    return CharterStatus(
        charter,
        frozenset(establishments - signed_establishments),
        frozenset(high_schools - signed_high_schools),
    )


# --- The charter page -------------------------------------------------------------------


@dataclass(frozen=True)
class CharterParty:
    """A host establishment or host high school the actor works for, and where it stands."""

    kind: str  # "establishment" or "high_school"
    pk: int
    label: str
    signed: bool
    may_sign: bool

    @property
    def key(self):
        return f"{self.kind}-{self.pk}"


@dataclass(frozen=True)
class CharterPage:
    charter: Charter | None
    exempt: bool
    parties: tuple = ()

    @property
    def to_sign(self):
        return [p for p in self.parties if not p.signed and p.may_sign]

    @property
    def waiting(self):
        return [p for p in self.parties if not p.signed and not p.may_sign]

    @property
    def signed(self):
        return [p for p in self.parties if p.signed]


def charter_page(actor, site) -> CharterPage:
    """The current charter and, for each host party of the actor, whether it signed and who may.

    The establishment referent of a host establishment signs for it, the referent of a host
    high school for the high school. Four queries at most.
    """
    charter = current_charter(site)
    if charter is None or actor.is_master:
        return CharterPage(charter, exempt=actor.is_master)
    establishments, high_schools = charter_parties(actor)
    if not (establishments or high_schools):
        return CharterPage(charter, exempt=False)
    signed = set(
        CharterSignature.objects.filter(site=site, charter=charter).values_list("establishment_id", "high_school_id")
    )
    signed_establishments = {e for e, _h in signed if e}
    signed_high_schools = {h for _e, h in signed if h}
    parties = []
    if establishments:
        rows = Establishment.objects.filter(site=site, pk__in=establishments, is_master=False).order_by("label")
        parties += [
            CharterParty(
                "establishment",
                e.pk,
                e.label,
                e.pk in signed_establishments,
                e.pk in actor.managed_establishments,
            )
            for e in rows.only("pk", "label")
        ]
    if high_schools:
        rows = HighSchool.objects.filter(site=site, pk__in=high_schools).order_by("label")
        parties += [
            CharterParty("high_school", h.pk, str(h), h.pk in signed_high_schools, h.pk in actor.host_high_schools)
            for h in rows.only("pk", "label", "city")
        ]
    return CharterPage(charter, exempt=False, parties=tuple(parties))


# --- What an actor may grant ----------------------------------------------------------------


GRANTABLE_STAFF_ROLES = (
    Role.MASTER_REFERENT,
    Role.ESTABLISHMENT_REFERENT,
    Role.STRUCTURE_REFERENT,
    Role.STRUCTURE_CONSULTANT,
    Role.SPEAKER,
    Role.HIGH_SCHOOL_REFERENT,
    Role.LEGAL_DEPARTMENT,
)


def may_grant_roles(actor) -> bool:
    return actor.is_master or bool(actor.managed_establishments or actor.host_high_schools or actor.managed_structures)


@dataclass(frozen=True)
class GrantOptions:
    """The roles and scopes an actor may grant, for the invitation form (querysets are lazy)."""

    roles: tuple
    scope_fields: tuple
    establishments: object
    structures: object
    high_schools: object


def grant_options(actor, site) -> GrantOptions:
    """The same rules as :func:`apps.accounts.policy.grantable_roles`, as choices.

    The master referent grants every staff role of the site; an establishment referent the
    structure roles of its establishment's structures and its speakers; a host high school's
    referent its speakers. Registrant roles come with sign-up, never by invitation.
    """
    if actor.is_master:
        return GrantOptions(
            roles=GRANTABLE_STAFF_ROLES,
            scope_fields=("establishment", "structure", "high_school"),
            establishments=Establishment.objects.filter(site=site),
            structures=Structure.objects.filter(site=site).select_related("establishment"),
            high_schools=HighSchool.objects.filter(site=site),
        )
    roles = set()
    speaker_establishments = set(actor.managed_establishments) | structure_referent_establishments(actor)
    if actor.managed_establishments:
        roles |= {Role.STRUCTURE_REFERENT, Role.STRUCTURE_CONSULTANT}
    if speaker_establishments or actor.host_high_schools:
        roles.add(Role.SPEAKER)
    scope_fields = ("establishment", "structure") if actor.managed_establishments else ()
    if speaker_establishments and not actor.managed_establishments:
        scope_fields = ("establishment",)
    if actor.host_high_schools:
        scope_fields += ("high_school",)
    return GrantOptions(
        roles=tuple(r for r in GRANTABLE_STAFF_ROLES if r in roles),
        scope_fields=scope_fields,
        establishments=Establishment.objects.filter(site=site, pk__in=speaker_establishments),
        structures=Structure.objects.filter(site=site, establishment__in=actor.managed_establishments).select_related(
            "establishment"
        ),
        high_schools=HighSchool.objects.filter(site=site, pk__in=actor.host_high_schools),
    )


def people_scope(actor) -> Q:
    """The role assignments an actor manages, as a filter: the list face of granting."""
    if actor.is_master:
        return Q(role__in=GRANTABLE_STAFF_ROLES)
    q = Q(pk__in=[])
    if actor.managed_establishments:
        q |= Q(
            role__in=(Role.STRUCTURE_REFERENT, Role.STRUCTURE_CONSULTANT),
            structure__establishment__in=actor.managed_establishments,
        )
    speaker_establishments = set(actor.managed_establishments) | structure_referent_establishments(actor)
    if speaker_establishments:
        q |= Q(role=Role.SPEAKER, establishment__in=speaker_establishments)
    if actor.host_high_schools:
        q |= Q(role=Role.SPEAKER, high_school__in=actor.host_high_schools)
    return q


# --- The people page --------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    user: object
    assignments: list


def people_page(actor, site, *, role="", search="", page=1, per_page=25):
    """People holding a role in the actor's scope, a page of them: three queries.

    Returns (page object, rows) where rows pair each person of the page with their
    assignments in the actor's scope.
    """
    in_scope = RoleAssignment.objects.filter(site=site).filter(people_scope(actor))
    matching = in_scope.filter(role=role) if role else in_scope
    people = get_user_model().objects.filter(Exists(matching.filter(user=OuterRef("pk"))))
    for term in search.split()[:5]:
        people = people.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term))
    people = people.order_by("last_name", "first_name", "pk")
    page_obj = Paginator(people, per_page).get_page(page)
    users = list(page_obj.object_list)
    by_user = {u.pk: [] for u in users}
    if users:
        for assignment in in_scope.filter(user__in=users).select_related(
            "establishment", "structure__establishment", "high_school", "granted_by"
        ):
            by_user[assignment.user_id].append(assignment)
    return page_obj, [PersonRow(u, by_user[u.pk]) for u in users]


def person_in_scope(actor, site, user_id):
    """A person the actor manages (holding a role in their scope), or None."""
    in_scope = RoleAssignment.objects.filter(site=site).filter(people_scope(actor))
    return get_user_model().objects.filter(pk=user_id, pk__in=in_scope.values("user_id")).first()


# --- The landing page -------------------------------------------------------------------


@dataclass(frozen=True)
class HomeSummary:
    assignments: list
    may_validate: bool
    pending_records: int
    may_grant: bool
    may_review_duplicates: bool
    may_use_admin: bool
    may_manage_reference: bool = False
    may_manage_places: bool = False
    may_see_offer: bool = False
    is_speaker: bool = False
    has_dashboard: bool = False
    may_see_statistics: bool = False


#: Roles that have a staff dashboard, and roles that read statistics (within their scope).
DASHBOARD_ROLES = frozenset(
    {
        Role.MASTER_REFERENT,
        Role.ESTABLISHMENT_REFERENT,
        Role.STRUCTURE_REFERENT,
        Role.SPEAKER,
        Role.HIGH_SCHOOL_REFERENT,
    }
)
STATISTICS_ROLES = frozenset(
    {
        Role.MASTER_REFERENT,
        Role.ESTABLISHMENT_REFERENT,
        Role.STRUCTURE_REFERENT,
        Role.STRUCTURE_CONSULTANT,
        Role.HIGH_SCHOOL_REFERENT,
    }
)


def pending_records_count(actor, site) -> int:
    """Records waiting for this actor's decision: one query per kind of record, at most three."""
    total = 0
    for model in (PupilRecord, StudentRecord, VisitorRecord):
        condition = record_validation_filter(actor, model)
        total += model.objects.filter(site=site, status__in=PENDING_STATUSES).filter(condition).count()
    return total


def home_summary(actor, site) -> HomeSummary:
    """What the landing page of the back office shows: four queries at most."""
    assignments = []
    if actor.user is not None:
        assignments = list(
            RoleAssignment.objects.filter(site=site, user=actor.user)
            .filter(role__in=GRANTABLE_STAFF_ROLES)
            .select_related("establishment", "structure__establishment", "high_school")
        )
    may_validate = bool(validatable_record_models(actor))
    return HomeSummary(
        assignments=assignments,
        may_validate=may_validate,
        pending_records=pending_records_count(actor, site) if may_validate else 0,
        may_grant=may_grant_roles(actor),
        may_review_duplicates=actor.is_master,
        may_use_admin=actor.is_master,
        may_manage_reference=actor.is_master,
        may_manage_places=manages_places(actor),
        may_see_offer=sees_trainings(actor),
        is_speaker=Role.SPEAKER in actor.roles,
        has_dashboard=actor.is_operator or bool(actor.roles & DASHBOARD_ROLES),
        may_see_statistics=actor.is_operator or bool(actor.roles & STATISTICS_ROLES),
    )
