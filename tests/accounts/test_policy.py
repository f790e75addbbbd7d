"""The policy answers for every role, on its own objects and on others'."""

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts import policy
from apps.accounts.models import Role, RoleAssignment
from apps.accounts.policy import Action, actor_for, can, offer_filter
from apps.catalogue.models import Course, Event, Slot, Training
from apps.organisations.models import Structure
from apps.registrations.models import GroupRegistration, Registration

V, A, C, D = Action.VIEW, Action.ADD, Action.CHANGE, Action.DELETE
ATT, CANCEL, GRANT = Action.RECORD_ATTENDANCE, Action.CANCEL, Action.GRANT

# (who, action, what, expected). "who" and "what" name attributes of the world fixture.
MATRIX = [
    # operator and master referent: the whole site
    ("operator", C, "host_slot", True),
    ("operator", C, "site", True),
    ("master_referent", C, "slot", True),
    ("master_referent", C, "host_slot", True),
    ("master_referent", C, "bts_slot", True),
    ("master_referent", C, "course_type", True),
    ("master_referent", C, "period", True),
    ("master_referent", C, "site", True),
    ("master_referent", D, "registration", True),
    # host-establishment referent: its establishment only
    ("establishment_referent", C, "slot", True),
    ("establishment_referent", C, "training", True),
    ("establishment_referent", C, "event_slot", True),
    ("establishment_referent", ATT, "slot", True),
    ("establishment_referent", C, "structure", True),
    ("establishment_referent", C, "campus", True),
    ("establishment_referent", C, "building", True),
    ("establishment_referent", C, "master", True),
    ("establishment_referent", C, "host_slot", False),
    ("establishment_referent", C, "host_training", False),
    ("establishment_referent", C, "host_structure", False),
    ("establishment_referent", C, "host", False),
    ("establishment_referent", C, "bts_slot", False),
    ("establishment_referent", C, "course_type", False),
    ("establishment_referent", C, "period", False),
    ("establishment_referent", C, "site", False),
    ("establishment_referent", C, "high_school", False),
    ("establishment_referent", D, "registration", False),
    ("host_referent", C, "host_slot", True),
    ("host_referent", C, "slot", False),
    ("host_referent", V, "draft_slot", False),
    # host-structure referent: the offer of its structures
    ("structure_referent", C, "slot", True),
    ("structure_referent", C, "draft_slot", True),
    ("structure_referent", C, "course", True),
    ("structure_referent", ATT, "slot", True),
    ("structure_referent", V, "registration", True),
    ("structure_referent", CANCEL, "registration", True),
    ("structure_referent", C, "other_slot", False),
    ("structure_referent", V, "other_draft_slot", False),
    ("structure_referent", C, "other_course", False),
    ("structure_referent", C, "training", False),
    ("structure_referent", V, "training", True),
    ("structure_referent", C, "event_slot", False),
    ("structure_referent", C, "structure", False),
    ("structure_referent", V, "other_registration", False),
    ("structure_referent", CANCEL, "other_registration", False),
    ("structure_referent", C, "course_type", False),
    # structure consultant: reads its structures, writes nothing
    ("consultant", V, "draft_slot", True),
    ("consultant", V, "registration", True),
    ("consultant", V, "other_draft_slot", False),
    ("consultant", V, "other_registration", False),
    ("consultant", C, "slot", False),
    ("consultant", C, "course", False),
    ("consultant", ATT, "slot", False),
    ("consultant", CANCEL, "registration", False),
    # speaker: the slots they take part in
    ("speaker", ATT, "slot", True),
    ("speaker", V, "registration", True),
    ("speaker", C, "registration", True),
    ("speaker", ATT, "other_slot", False),
    ("speaker", V, "other_registration", False),
    ("speaker", V, "other_draft_slot", False),
    ("speaker", C, "slot", False),
    ("speaker", CANCEL, "registration", False),
    # high-school referent
    ("high_school_referent", C, "slot", False),
    ("high_school_referent", C, "bts_slot", False),
    ("high_school_referent", V, "registration", False),
    ("high_school_referent", C, "high_school", False),
    ("host_high_school_referent", C, "bts_slot", True),
    ("host_high_school_referent", C, "bts", True),
    ("host_high_school_referent", ATT, "bts_slot", True),
    ("host_high_school_referent", C, "slot", False),
    ("host_high_school_referent", C, "training", False),
    # legal department: reads, writes nothing of the offer
    ("legal", V, "high_school", True),
    ("legal", C, "high_school", False),
    ("legal", C, "slot", False),
    ("legal", V, "registration", False),
    # registrants
    ("pupil", V, "slot", True),
    ("pupil", V, "registration", True),
    ("pupil", CANCEL, "registration", True),
    ("pupil", V, "draft_slot", False),
    ("pupil", C, "slot", False),
    ("pupil", C, "registration", False),
    ("pupil", V, "other_registration", False),
    ("pupil", CANCEL, "other_registration", False),
    ("pupil", C, "course_type", False),
    ("pupil", C, "site", False),
    ("other_pupil", V, "registration", False),
    ("student", V, "slot", True),
    ("student", V, "registration", False),
    ("visitor", C, "slot", False),
    # nobody signed in
    ("anonymous", V, "slot", True),
    ("anonymous", V, "course", True),
    ("anonymous", V, "master", True),
    ("anonymous", V, "draft_slot", False),
    ("anonymous", V, "registration", False),
    ("anonymous", C, "slot", False),
    ("anonymous", C, "site", False),
]


def _who(world, name):
    return AnonymousUser() if name == "anonymous" else getattr(world, name)


@pytest.mark.parametrize(("who", "action", "what", "expected"), MATRIX)
def test_policy_matrix(in_site, who, action, what, expected):
    w = in_site
    assert can(_who(w, who), action, getattr(w, what), w.site) is expected


def test_every_role_appears_in_the_matrix():
    covered = {row[0] for row in MATRIX}
    assert {
        "operator",
        "master_referent",
        "establishment_referent",
        "structure_referent",
        "consultant",
        "speaker",
        "high_school_referent",
        "legal",
        "pupil",
        "student",
        "visitor",
        "anonymous",
    } <= covered


def test_rows_of_another_site_are_refused_even_to_its_own_masters(in_site, other_world):
    w = in_site
    for who in ("operator", "master_referent", "establishment_referent", "structure_referent", "pupil"):
        assert not can(getattr(w, who), C, other_world.slot, w.site)
        assert not can(getattr(w, who), V, other_world.draft_slot, w.site)
    # Holding a role on site B grants nothing on site A.
    assert not can(other_world.master_referent, C, w.slot, w.site)
    assert not can(other_world.master_referent, V, w.draft_slot, w.site)
    assert not can(other_world.pupil, V, w.registration, w.site)


def test_inactive_people_get_nothing(in_site):
    w = in_site
    w.master_referent.is_active = False
    assert not can(w.master_referent, C, w.slot, w.site)
    assert not policy.may_use_admin(w.master_referent, w.site)


def test_unknown_objects_and_actions_are_denied(in_site):
    w = in_site
    assert not can(w.master_referent, "fly", w.slot, w.site)
    assert not can(w.master_referent, C, object(), w.site)


def test_add_is_judged_on_where_the_new_object_goes(in_site):
    w = in_site
    mine = Structure(site=w.site, establishment=w.master, code="NEW", label="Nouvelle")
    theirs = Structure(site=w.site, establishment=w.host, code="NEW", label="Nouvelle")
    assert can(w.establishment_referent, A, mine, w.site)
    assert not can(w.establishment_referent, A, theirs, w.site)
    new_slot = Slot(site=w.site, course=w.course, period=w.period)
    assert can(w.structure_referent, A, new_slot, w.site)
    assert not can(w.structure_referent, A, Slot(site=w.site, course=w.other_course, period=w.period), w.site)
    assert can(w.pupil, A, Registration(site=w.site, slot=w.slot, person=w.pupil), w.site)
    assert not can(w.pupil, A, Registration(site=w.site, slot=w.slot, person=w.other_pupil), w.site)
    group = GroupRegistration(site=w.site, slot=w.slot, high_school=w.high_school, pupils_count=20)
    assert can(w.high_school_referent, A, group, w.site)
    assert not can(w.host_high_school_referent, A, group, w.site)


def test_who_may_grant_which_role(in_site):
    w = in_site

    def role(role, **scope):
        return RoleAssignment(site=w.site, user=w.student, role=role, **scope)

    structure_referent_here = role(Role.STRUCTURE_REFERENT, structure=w.structure)
    structure_referent_there = role(Role.STRUCTURE_REFERENT, structure=w.host_structure)
    assert can(w.master_referent, GRANT, role(Role.MASTER_REFERENT), w.site)
    assert can(w.establishment_referent, GRANT, structure_referent_here, w.site)
    assert can(w.establishment_referent, GRANT, role(Role.SPEAKER, establishment=w.master), w.site)
    assert not can(w.establishment_referent, GRANT, structure_referent_there, w.site)
    assert not can(w.establishment_referent, GRANT, role(Role.MASTER_REFERENT), w.site)
    assert not can(w.establishment_referent, GRANT, role(Role.SPEAKER, establishment=w.host), w.site)
    assert can(w.host_high_school_referent, GRANT, role(Role.SPEAKER, high_school=w.host_high_school), w.site)
    assert not can(w.high_school_referent, GRANT, role(Role.SPEAKER, high_school=w.high_school), w.site)
    # Structure referents bring speakers of their own establishment, nothing else.
    assert can(w.structure_referent, GRANT, role(Role.SPEAKER, establishment=w.master), w.site)
    assert not can(w.structure_referent, GRANT, role(Role.SPEAKER, establishment=w.host), w.site)
    assert not can(w.structure_referent, GRANT, role(Role.STRUCTURE_CONSULTANT, structure=w.structure), w.site)
    assert not can(w.pupil, GRANT, role(Role.PUPIL), w.site)


def test_admin_is_for_the_operator_and_the_master_referent(in_site, other_world):
    w = in_site
    assert policy.may_use_admin(w.operator, w.site)
    assert policy.may_use_admin(w.master_referent, w.site)
    for who in ("establishment_referent", "structure_referent", "speaker", "high_school_referent", "pupil"):
        assert not policy.may_use_admin(getattr(w, who), w.site)
    assert not policy.may_use_admin(AnonymousUser(), w.site)
    assert not policy.may_use_admin(other_world.master_referent, w.site)
    assert not policy.may_use_admin(w.master_referent, None)


def test_roles_are_read_once_per_request(in_site, django_assert_num_queries):
    w = in_site
    user = type(w.structure_referent).objects.get(pk=w.structure_referent.pk)
    with django_assert_num_queries(1):
        actor_for(user, w.site)
        actor_for(user, w.site)
        can(user, C, w.course, w.site)


PEOPLE = [
    "operator",
    "master_referent",
    "establishment_referent",
    "host_referent",
    "structure_referent",
    "consultant",
    "speaker",
    "high_school_referent",
    "host_high_school_referent",
    "legal",
    "pupil",
    "anonymous",
]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("model", [Training, Course, Event, Slot])
def test_list_filters_agree_with_the_object_rules(in_site, who, model):
    """A list never shows what the detail page would refuse, nor hides what it allows."""
    w = in_site
    user = _who(w, who)
    actor = actor_for(user, w.site)
    rows = list(model.objects.all())
    editable = set(model.objects.filter(offer_filter(actor, model, C)).values_list("pk", flat=True))
    assert editable == {o.pk for o in rows if can(user, C, o, w.site)}
    if model is Slot:
        attendance = set(model.objects.filter(offer_filter(actor, model, ATT)).values_list("pk", flat=True))
        assert attendance == {o.pk for o in rows if can(user, ATT, o, w.site)}
    visible = set(model.objects.filter(offer_filter(actor, model, V)).values_list("pk", flat=True))
    hidden_from_public = [o for o in rows if not policy._is_publicly_visible(o)]
    assert {o.pk for o in hidden_from_public if o.pk in visible} == {
        o.pk for o in hidden_from_public if can(user, V, o, w.site)
    }
    assert visible >= {o.pk for o in rows if can(user, V, o, w.site) and not policy._is_publicly_visible(o)}


def test_a_master_referent_cannot_take_over_an_account_used_on_another_site(in_site, other_world):
    w = in_site
    from apps.accounts.models import RoleAssignment as RA

    assert can(w.master_referent, C, w.pupil, w.site)
    assert can(w.master_referent, V, w.pupil, w.site)
    assert not can(w.master_referent, C, w.operator, w.site)
    assert not can(w.establishment_referent, C, w.pupil, w.site)
    assert can(w.pupil, C, w.pupil, w.site)
    # The same person now also takes part on site B: site A's master may no longer change them.
    RA.objects.with_scopes_disabled().create(site=other_world.site, user=w.pupil, role=Role.PUPIL)
    w.pupil.__dict__.pop("_policy_elsewhere", None)
    assert not can(w.master_referent, C, w.pupil, w.site)
    assert can(w.master_referent, V, w.pupil, w.site)
