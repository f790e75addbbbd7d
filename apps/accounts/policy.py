"""Who may do what, answered in one place. Deny by default.

Every "may this person do this on that object?" question of the platform goes through
:func:`can`; list pages use :func:`offer_filter` (the same rules expressed as a query
filter) so that a list never shows what the detail page would refuse. Views, the
admin, and later the API and management commands all call this module; none of them
re-implements a rule.

The person's roles on the current site are read once (one query) into an
:class:`Actor`, cached on the user object for the duration of the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from apps.academic_calendar import models as calendar_models
from apps.attestations.models import AttestationType
from apps.catalogue.models import Course, Event, Slot, Training
from apps.directories.models import HigherEducationInstitution, SchoolDirectoryEntry
from apps.federation.models import FederationSettings
from apps.organisations.models import Building, Campus, Establishment, HighSchool, Owner, Structure
from apps.records.models import PupilRecord, StudentRecord, VisitorRecord
from apps.referentials import models as referential_models
from apps.registrations.models import GroupRegistration, Registration
from apps.staff.models import Charter
from apps.tenancy.models import Site, SiteHost

from .models import Role, RoleAssignment, User


class Action:
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"
    CANCEL = "cancel"
    RECORD_ATTENDANCE = "record_attendance"
    GRANT = "grant"
    VALIDATE = "validate"

    WRITE = frozenset({ADD, CHANGE, DELETE})


STAFF_ROLES = frozenset(
    {
        Role.MASTER_REFERENT,
        Role.ESTABLISHMENT_REFERENT,
        Role.STRUCTURE_REFERENT,
        Role.STRUCTURE_CONSULTANT,
        Role.SPEAKER,
        Role.HIGH_SCHOOL_REFERENT,
        Role.LEGAL_DEPARTMENT,
    }
)
REGISTRANT_ROLES = frozenset({Role.PUPIL, Role.STUDENT, Role.VISITOR})


@dataclass(frozen=True)
class Actor:
    """A person as seen from one site: their roles and what each role is attached to."""

    user: object
    site_id: int | None
    is_operator: bool = False
    roles: frozenset = frozenset()
    managed_establishments: frozenset = frozenset()  # establishment referent
    managed_structures: frozenset = frozenset()  # structure referent
    consulted_structures: frozenset = frozenset()  # structure consultant
    structure_establishments: dict = field(default_factory=dict)  # structure id -> establishment id
    speaker_establishments: frozenset = frozenset()
    speaker_high_schools: frozenset = frozenset()
    referent_high_schools: frozenset = frozenset()  # high-school referent
    host_high_schools: frozenset = frozenset()  # ...of a high school that hosts post-bac trainings
    legal_establishments: frozenset = frozenset()

    @property
    def is_authenticated(self):
        return self.user is not None

    @property
    def is_master(self):
        return self.is_operator or Role.MASTER_REFERENT in self.roles

    @property
    def is_staff(self):
        return self.is_operator or bool(self.roles & STAFF_ROLES)

    @property
    def user_id(self):
        return self.user.pk if self.user is not None else None


def actor_for(user, site) -> Actor:
    """Read a person's roles on a site (one query), cached on the user object."""
    site_id = site.pk if isinstance(site, Site) else site
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Actor(user=None, site_id=site_id)
    cache = user.__dict__.setdefault("_policy_actors", {})
    if site_id in cache:
        return cache[site_id]
    assignments = list(
        RoleAssignment.objects.with_scopes_disabled()
        .filter(user=user, site_id=site_id)
        .select_related("structure", "high_school")
    )

    def ids(role, attr):
        return frozenset(getattr(a, f"{attr}_id") for a in assignments if a.role == role and getattr(a, f"{attr}_id"))

    actor = Actor(
        user=user,
        site_id=site_id,
        is_operator=user.is_operator,
        roles=frozenset(a.role for a in assignments),
        managed_establishments=ids(Role.ESTABLISHMENT_REFERENT, "establishment"),
        managed_structures=ids(Role.STRUCTURE_REFERENT, "structure"),
        consulted_structures=ids(Role.STRUCTURE_CONSULTANT, "structure"),
        structure_establishments={a.structure_id: a.structure.establishment_id for a in assignments if a.structure_id},
        speaker_establishments=ids(Role.SPEAKER, "establishment"),
        speaker_high_schools=ids(Role.SPEAKER, "high_school"),
        referent_high_schools=ids(Role.HIGH_SCHOOL_REFERENT, "high_school"),
        host_high_schools=frozenset(
            a.high_school_id
            for a in assignments
            if a.role == Role.HIGH_SCHOOL_REFERENT and a.high_school.hosts_post_bac_trainings
        ),
        legal_establishments=ids(Role.LEGAL_DEPARTMENT, "establishment"),
    )
    cache[site_id] = actor
    return actor


# --- Ownership: who owns a piece of the offer -------------------------------------------


def owner_of(obj) -> Owner:
    """The establishment / structure / host high school an offer object belongs to (the offer
    models' own answer, their ``owner``); a registration's is its slot's."""
    if isinstance(obj, (Registration, GroupRegistration)):
        obj = obj.slot
    if isinstance(obj, (Slot, Course, Training, Event)):
        return obj.owner
    raise TypeError(f"{type(obj).__name__} is not part of the offer")


def _manages_owner(actor: Actor, owner: Owner, *, structure_level=True) -> bool:
    if actor.is_master:
        return True
    if owner.establishment_id and owner.establishment_id in actor.managed_establishments:
        return True
    if structure_level and owner.structure_id and owner.structure_id in actor.managed_structures:
        return True
    return bool(owner.high_school_id and owner.high_school_id in actor.host_high_schools)


def _consults_owner(actor: Actor, owner: Owner) -> bool:
    return _manages_owner(actor, owner) or bool(owner.structure_id and owner.structure_id in actor.consulted_structures)


def _is_speaker_of(actor: Actor, obj) -> bool:
    if actor.user is None or Role.SPEAKER not in actor.roles or obj.pk is None:
        return False
    return obj.speakers.filter(pk=actor.user.pk).exists()


def _is_publicly_visible(obj) -> bool:
    if isinstance(obj, Slot):
        parent = obj.course if obj.course_id else obj.event
        return obj.published and parent.published
    if isinstance(obj, (Course, Event)):
        return obj.published
    if isinstance(obj, Training):
        return obj.is_active
    return False


# --- Rules per kind of object ---------------------------------------------------------


def _offer_rule(actor: Actor, action: str, obj) -> bool:
    owner = owner_of(obj)
    if action == Action.VIEW:
        return (
            _is_publicly_visible(obj)
            or _consults_owner(actor, owner)
            or (not isinstance(obj, Training) and _is_speaker_of(actor, obj))
        )
    if action == Action.RECORD_ATTENDANCE and isinstance(obj, Slot):
        return _manages_owner(actor, owner) or _is_speaker_of(actor, obj)
    if action in Action.WRITE:
        # Trainings are the establishment's business; courses, events and slots the structure's.
        return _manages_owner(actor, owner, structure_level=not isinstance(obj, Training))
    return False


def _organisation_rule(actor: Actor, action: str, obj) -> bool:
    if action == Action.VIEW:
        return True  # establishments, high schools and places are shown on the public pages
    if action not in Action.WRITE:
        return False
    if actor.is_master:
        return True
    establishment_id = {
        Establishment: lambda o: o.pk if action == Action.CHANGE else None,
        Structure: lambda o: o.establishment_id,
        Campus: lambda o: o.establishment_id,
        Building: lambda o: o.campus.establishment_id if o.campus_id else None,
    }.get(type(obj), lambda o: None)(obj)
    return establishment_id is not None and establishment_id in actor.managed_establishments


def _reference_rule(actor: Actor, action: str, obj) -> bool:
    if action == Action.VIEW:
        return True
    return action in Action.WRITE and actor.is_master


def _registration_rule(actor: Actor, action: str, obj) -> bool:
    owner = owner_of(obj)
    slot = obj.slot
    own = isinstance(obj, Registration) and actor.user is not None and obj.person_id == actor.user.pk
    for_my_high_school = isinstance(obj, GroupRegistration) and obj.high_school_id in actor.referent_high_schools
    manager = _manages_owner(actor, owner)
    if action == Action.VIEW:
        return (
            own
            or for_my_high_school
            or _consults_owner(actor, owner)
            or _is_speaker_of(actor, slot)
            or _follows_as_referent(actor, obj)
        )
    if action == Action.ADD:
        if isinstance(obj, GroupRegistration):
            return for_my_high_school or manager
        return (own and bool(actor.roles & REGISTRANT_ROLES)) or manager
    if action == Action.CANCEL:
        return own or for_my_high_school or manager or _follows_as_referent(actor, obj)
    if action in (Action.CHANGE, Action.RECORD_ATTENDANCE):
        return manager or _is_speaker_of(actor, slot)
    if action == Action.DELETE:
        return actor.is_master
    return False


def _follows_as_referent(actor: Actor, obj) -> bool:
    """A high-school referent following this registration of their pupil (:func:`may_follow_registration`)."""
    if not (isinstance(obj, Registration) and actor.referent_high_schools):
        return False
    return may_follow_registration(actor, obj, None)


def structure_referent_establishments(actor: Actor) -> frozenset:
    """The establishments of the structures this actor is referent of."""
    return frozenset(actor.structure_establishments[s] for s in actor.managed_structures)


def grantable_roles(actor: Actor, target: RoleAssignment) -> bool:
    """May this actor grant (or withdraw) this role assignment?"""
    if actor.is_operator or Role.MASTER_REFERENT in actor.roles:
        return True
    if target.role in (Role.STRUCTURE_REFERENT, Role.STRUCTURE_CONSULTANT) and target.structure_id:
        establishment_id = target.structure.establishment_id
        return establishment_id in actor.managed_establishments
    if target.role == Role.SPEAKER:
        if target.establishment_id:
            # Structure referents build the offer: they may bring speakers of their establishment.
            return target.establishment_id in actor.managed_establishments | structure_referent_establishments(actor)
        if target.high_school_id:
            return target.high_school_id in actor.host_high_schools
    return False


def _role_assignment_rule(actor: Actor, action: str, obj) -> bool:
    if action == Action.VIEW:
        return (actor.user is not None and obj.user_id == actor.user.pk) or grantable_roles(actor, obj)
    if action in (Action.GRANT, Action.ADD, Action.DELETE, Action.CHANGE):
        return grantable_roles(actor, obj)
    return False


def _site_rule(actor: Actor, action: str, obj) -> bool:
    if action == Action.VIEW:
        return True
    if isinstance(obj, Site) and action == Action.CHANGE:
        return actor.is_operator or (Role.MASTER_REFERENT in actor.roles and obj.pk == actor.site_id)
    return actor.is_operator


def _site_management_rule(actor: Actor, action: str, obj) -> bool:
    """What the site asks of people and how they sign in (attestation types, the charter's
    versions, the sign-in methods): its master referents read and write them (the pages)."""
    return action in (Action.VIEW, *Action.WRITE) and actor.is_master


def _directory_rule(actor: Actor, action: str, obj) -> bool:
    return action == Action.VIEW or (action in Action.WRITE and actor.is_operator)


def _belongs_to_another_site(person, site_id) -> bool:
    """Does this person hold a role or a registration on another site than this one?"""
    cache = person.__dict__.setdefault("_policy_elsewhere", {})
    if site_id not in cache:
        cache[site_id] = (
            RoleAssignment.objects.with_scopes_disabled().filter(user=person).exclude(site_id=site_id).exists()
            or Registration.objects.with_scopes_disabled().filter(person=person).exclude(site_id=site_id).exists()
        )
    return cache[site_id]


def _user_rule(actor: Actor, action: str, obj) -> bool:
    if actor.user is not None and obj.pk == actor.user.pk and action in (Action.VIEW, Action.CHANGE):
        return True
    if obj.is_operator or obj.is_superuser or Role.MASTER_REFERENT not in actor.roles:
        return False
    if action == Action.VIEW:
        return True
    # Users are global: changing the e-mail or password of someone who also works or registers
    # on another site would hand their account there to this site's master referent.
    return action == Action.CHANGE and obj.pk is not None and not _belongs_to_another_site(obj, actor.site_id)


def _validates_record(actor: Actor, record) -> bool:
    """Who decides on a record: see :func:`record_validation_filter` for the same rule as a query."""
    if actor.is_master:
        return True
    if isinstance(record, PupilRecord):
        if record.high_school_id and record.high_school.has_agreement():
            return record.high_school_id in actor.referent_high_schools
        return bool(actor.managed_establishments)
    return False  # visitors' and students' records: the master referent


def _record_rule(actor: Actor, action: str, obj) -> bool:
    own = actor.user is not None and obj.user_id == actor.user.pk
    if action == Action.CHANGE:
        return own
    if action == Action.VALIDATE:
        return not own and _validates_record(actor, obj)
    if action == Action.VIEW:
        if own or _validates_record(actor, obj):
            return True
        return isinstance(obj, PupilRecord) and obj.high_school_id in actor.referent_high_schools
    return False


def may_see_immersions_of(user, record, site) -> bool:
    """May ``user`` see what the person of ``record`` registered to?

    Their registrations and waiting lists, and every answer that would reveal them: the
    engine's "already registered", "overlaps another registration: <slot>", the quotas used,
    an attendance certificate. The person themselves and the site's master referent: yes. A
    referent of the pupil's high school: only when the pupil agreed to share their immersions
    with it (``consent_high_school_sees_immersions``). Anybody else: no (the host's managers
    see the registrations on their own slots through :func:`can`, never a person's other
    immersions). :func:`immersions_visible_filter` is the same answer for lists.
    """
    actor = user if isinstance(user, Actor) else actor_for(user, site)
    if actor.user is None or record is None or record.site_id != actor.site_id:
        return False
    if record.user_id == actor.user.pk or actor.is_master:
        return True
    return (
        isinstance(record, PupilRecord)
        and record.high_school_id in actor.referent_high_schools
        and record.consent_high_school_sees_immersions
    )


def immersions_visible_filter(actor: Actor) -> Q:
    """The pupil records whose immersions this actor may see (the list face of :func:`may_see_immersions_of`)."""
    if actor.user is None:
        return Q(pk__in=[])
    if actor.is_master:
        return Q(pk__isnull=False)  # every record; a real condition, so that ``exclude()`` excludes them all
    return Q(user=actor.user) | Q(high_school__in=actor.referent_high_schools, consent_high_school_sees_immersions=True)


# --- A high-school referent and their pupils' immersions ---------------------------------
#
# One answer for every page and service: a referent of the pupil's high school may *register*
# the pupil (consent or not: what the engine then tells them is filtered through
# :func:`may_see_immersions_of`); they *see* a registration, and may *cancel* it, when the pupil
# shares their immersions with the high school, or when they made it themselves (they know of
# it: it must stay on their list, to be followed and cancelled).


def may_register_pupil(user, record, site) -> bool:
    """May ``user`` register the person of ``record`` as a referent of their high school?"""
    actor = user if isinstance(user, Actor) else actor_for(user, site)
    return (
        actor.user is not None
        and isinstance(record, PupilRecord)
        and record.site_id == actor.site_id
        and record.high_school_id is not None
        and record.high_school_id in actor.referent_high_schools
    )


def may_follow_registration(user, registration, site, record=None) -> bool:
    """May ``user``, as a high-school referent, see this registration of a pupil and cancel it?

    ``record``: the person's pupil record on the site, when the caller has it (else one query).
    :func:`followed_registrations_filter` is the same answer for lists.
    """
    actor = user if isinstance(user, Actor) else actor_for(user, site)
    if actor.user is None or not actor.referent_high_schools or registration.site_id != actor.site_id:
        return False
    if record is None:
        record = PupilRecord.objects.filter(site_id=actor.site_id, user_id=registration.person_id).first()
    if not may_register_pupil(actor, record, site):
        return False
    return registration.registered_by_id == actor.user.pk or may_see_immersions_of(actor, record, site)


def followed_registrations_filter(actor: Actor, high_school_ids=None) -> Q:
    """The registrations (a filter on them) that ``actor`` follows as a referent of the pupils'
    high schools (``high_school_ids``: some of theirs; default all): the list face of
    :func:`may_follow_registration`."""
    ids = actor.referent_high_schools if high_school_ids is None else actor.referent_high_schools & set(high_school_ids)
    if actor.user is None or not ids:
        return Q(pk__in=[])
    pupils = PupilRecord.objects.filter(site_id=actor.site_id, high_school_id__in=ids)
    sharing = pupils.filter(immersions_visible_filter(actor)).values("user_id")
    return Q(site_id=actor.site_id) & (
        Q(person_id__in=sharing) | Q(registered_by_id=actor.user.pk, person_id__in=pupils.values("user_id"))
    )


def validatable_record_models(actor: Actor) -> tuple:
    """The record models this actor decides on (the page face of VALIDATE)."""
    if actor.user is None:
        return ()
    if actor.is_master:
        return (PupilRecord, StudentRecord, VisitorRecord)
    if actor.managed_establishments or actor.referent_high_schools:
        return (PupilRecord,)
    return ()


def record_validation_filter(actor: Actor, model) -> Q:
    """The records of ``model`` this actor decides on, as a filter (the list face of VALIDATE)."""
    nothing = Q(pk__in=[])
    if actor.user is None:
        return nothing
    if actor.is_master:
        return ~Q(user=actor.user)
    if model is not PupilRecord:
        return nothing
    today = timezone.localdate()
    agreement = Q(high_school__agreement_start__lte=today) & (
        Q(high_school__agreement_end__isnull=True) | Q(high_school__agreement_end__gte=today)
    )
    q = Q(high_school__in=actor.referent_high_schools) & agreement
    if actor.managed_establishments:
        q |= Q(high_school__isnull=True) | ~agreement
    return q & ~Q(user=actor.user)


REFERENCE_MODELS = (
    referential_models.HighSchoolLevel,
    referential_models.PostBachelorLevel,
    referential_models.StudentLevel,
    referential_models.BachelorType,
    referential_models.TechnologicalSeries,
    referential_models.GeneralSpeciality,
    referential_models.TrainingDomain,
    referential_models.TrainingSubdomain,
    referential_models.CourseType,
    referential_models.CancellationReason,
    referential_models.PublicType,
    referential_models.EventType,
    calendar_models.UniversityYear,
    calendar_models.Period,
    calendar_models.Holiday,
    calendar_models.Vacation,
)

RULES: dict[type, Callable[[Actor, str, object], bool]] = {
    Training: _offer_rule,
    Course: _offer_rule,
    Event: _offer_rule,
    Slot: _offer_rule,
    Establishment: _organisation_rule,
    Structure: _organisation_rule,
    Campus: _organisation_rule,
    Building: _organisation_rule,
    HighSchool: _organisation_rule,
    Registration: _registration_rule,
    GroupRegistration: _registration_rule,
    RoleAssignment: _role_assignment_rule,
    Site: _site_rule,
    SiteHost: _site_rule,
    AttestationType: _site_management_rule,
    Charter: _site_management_rule,
    FederationSettings: _site_management_rule,
    HigherEducationInstitution: _directory_rule,
    SchoolDirectoryEntry: _directory_rule,
    User: _user_rule,
    PupilRecord: _record_rule,
    StudentRecord: _record_rule,
    VisitorRecord: _record_rule,
    **dict.fromkeys(REFERENCE_MODELS, _reference_rule),
}


def can(user, action: str, obj, site) -> bool:
    """May ``user`` do ``action`` on ``obj`` on ``site``? Deny by default.

    ``obj`` may be an unsaved instance (for "add": its foreign keys say where it goes).
    Rows of another site are always refused, whoever asks.
    """
    actor = user if isinstance(user, Actor) else actor_for(user, site)
    rule = RULES.get(type(obj))
    if rule is None:
        return False
    obj_site_id = getattr(obj, "site_id", None)
    if obj_site_id is not None and obj_site_id != actor.site_id:
        return False
    if isinstance(obj, SiteHost) and obj.site_id != actor.site_id:
        return False
    if actor.is_operator:
        return True
    return rule(actor, action, obj)


def may_use_admin(user, site) -> bool:
    """The Django admin is for the operator and the site's master referent."""
    if site is None:
        return False
    return actor_for(user, site).is_master


def may_read_log(user, site) -> bool:
    """The action log: the site's master referents (and the operator) read all of it, an
    establishment's referents what concerns their establishments' objects."""
    if site is None:
        return False
    actor = user if isinstance(user, Actor) else actor_for(user, site)
    return actor.is_master or bool(actor.managed_establishments)


def log_filter(actor: Actor) -> Q:
    """The action-log rows ``actor`` may read (on the actor's site; the caller scopes the site)."""
    if actor.is_master:
        return Q()
    if actor.managed_establishments:
        return Q(establishment_id__in=actor.managed_establishments)
    return Q(pk__in=[])


def may_use_back_office(user, site) -> bool:
    if site is None:
        return False
    return actor_for(user, site).is_staff


# --- The same rules as query filters, for lists ----------------------------------------


def _owner_q(actor: Actor, prefix: str, *, structure_level=True, with_consultants=False) -> Q:
    """Q matching offer rows whose owner the actor manages. ``prefix`` leads to a Training."""
    p = f"{prefix}__" if prefix else ""
    structures = set(actor.managed_structures) if structure_level else set()
    if with_consultants:
        structures |= actor.consulted_structures
    q = Q(**{f"{p}structure__establishment__in": actor.managed_establishments})
    q |= Q(**{f"{p}structure__in": structures})
    q |= Q(**{f"{p}high_school__in": actor.host_high_schools})
    return q


def _event_owner_q(actor: Actor, prefix: str, *, with_consultants=False) -> Q:
    p = f"{prefix}__" if prefix else ""
    structures = set(actor.managed_structures)
    if with_consultants:
        structures |= actor.consulted_structures
    return (
        Q(**{f"{p}establishment__in": actor.managed_establishments})
        | Q(**{f"{p}structure__in": structures})
        | Q(**{f"{p}high_school__in": actor.host_high_schools})
    )


def _speaking_q(actor: Actor, model) -> Q:
    """Rows the actor speaks in, as a subquery (no join, so no duplicate rows)."""
    if actor.user is None or Role.SPEAKER not in actor.roles:
        return Q(pk__in=[])
    through = model.speakers.through
    column = f"{model._meta.model_name}_id"
    return Q(pk__in=through.objects.filter(user_id=actor.user.pk).values(column))


def offer_filter(actor: Actor, model, action: str = Action.CHANGE) -> Q:
    """A filter selecting the rows of an offer model the actor may ``action`` (view or change)."""
    if actor.is_master:
        return Q()
    if actor.user is None:
        return Q(pk__in=[])
    consult = action == Action.VIEW
    if model is Training:
        q = _owner_q(actor, "", structure_level=False, with_consultants=consult)
        if consult:
            q |= Q(structure__in=actor.managed_structures)
        return q
    if model is Course:
        q = _owner_q(actor, "training", with_consultants=consult)
        return q | _speaking_q(actor, Course) if consult else q
    if model is Event:
        q = _event_owner_q(actor, "", with_consultants=consult)
        return q | _speaking_q(actor, Event) if consult else q
    if model is Slot:
        q = _owner_q(actor, "course__training", with_consultants=consult) | _event_owner_q(
            actor, "event", with_consultants=consult
        )
        return q | _speaking_q(actor, Slot) if consult or action == Action.RECORD_ATTENDANCE else q
    raise TypeError(f"{model.__name__} is not part of the offer")
