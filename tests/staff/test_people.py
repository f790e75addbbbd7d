"""staff:people: the roles in one's scope, and withdrawing them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Role, RoleAssignment
from apps.accounts.policy import STAFF_ROLES, actor_for, grantable_roles
from apps.staff.models import CharterSignature
from apps.staff.selectors import people_page
from tests.factories import grant, make_user

URL = reverse("staff:people")


def revoke_url(assignment):
    return reverse("staff:revoke", args=[assignment.pk])


def listed_people(response):
    return {row.user for row in response.context["rows"]}


def test_the_master_referent_sees_every_staff_member_of_the_site(client, world, other_world):
    client.force_login(world.master_referent)
    people = listed_people(client.get(URL))
    staff = {
        world.master_referent,
        world.establishment_referent,
        world.host_referent,
        world.structure_referent,
        world.consultant,
        world.speaker,
        world.high_school_referent,
        world.host_high_school_referent,
        world.legal,
    }
    assert people == staff
    assert not people & {world.pupil, world.student, world.visitor, other_world.speaker}


def test_an_establishment_referent_sees_its_structures_and_speakers(client, world):
    client.force_login(world.establishment_referent)
    assert listed_people(client.get(URL)) == {world.structure_referent, world.consultant, world.speaker}


def test_a_host_high_school_referent_sees_its_speakers(client, in_site):
    w = in_site
    CharterSignature.objects.create(site=w.site, charter=w.charter, high_school=w.host_high_school)
    mine = make_user()
    grant(mine, w.site, Role.SPEAKER, high_school=w.host_high_school)
    client.force_login(w.host_high_school_referent)
    assert listed_people(client.get(URL)) == {mine}


@pytest.mark.parametrize(
    "who", ["master_referent", "establishment_referent", "host_referent", "host_high_school_referent", "operator"]
)
def test_the_list_matches_the_policy(in_site, who):
    w = in_site
    actor = actor_for(getattr(w, who), w.site)
    _page, rows = people_page(actor, w.site, per_page=1000)
    listed = {a.pk for row in rows for a in row.assignments}
    expected = {
        a.pk
        for a in RoleAssignment.objects.filter(site=w.site, role__in=STAFF_ROLES).select_related("structure")
        if grantable_roles(actor, a)
    }
    assert listed == expected


@pytest.mark.parametrize("who", ["high_school_referent", "consultant", "speaker", "legal", "pupil", "student"])
def test_others_may_not_see_the_list(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(URL).status_code == 403


def test_filter_and_search(client, in_site):
    w = in_site
    client.force_login(w.establishment_referent)
    assert listed_people(client.get(URL, {"role": Role.SPEAKER})) == {w.speaker}
    assert listed_people(client.get(URL, {"q": w.consultant.last_name})) == {w.consultant}
    assert listed_people(client.get(URL, {"q": w.consultant.email.upper()})) == {w.consultant}
    assert listed_people(client.get(URL, {"q": "nobody-has-this-name"})) == set()
    response = client.get(URL, {"role": Role.MASTER_REFERENT})  # not one of mine: ignored
    assert response.status_code == 200
    assert listed_people(response) == {w.structure_referent, w.consultant, w.speaker}
    assert client.get(URL, {"page": "999"}).status_code == 200
    assert client.get(URL, {"page": "junk"}).status_code == 200


def test_pagination(client, in_site):
    w = in_site
    for _n in range(30):
        grant(make_user(), w.site, Role.SPEAKER, establishment=w.master)
    client.force_login(w.establishment_referent)
    first = client.get(URL)
    assert len(first.context["rows"]) == 25
    assert first.context["page_obj"].paginator.count == 33
    second = client.get(URL, {"page": 2})
    assert len(second.context["rows"]) == 8
    assert not listed_people(first) & listed_people(second)


def test_constant_queries(client, in_site):
    w = in_site
    client.force_login(w.master_referent)
    client.get(URL)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    few = count()
    for n in range(20):
        person = make_user()
        grant(person, w.site, Role.STRUCTURE_REFERENT, structure=w.structure if n % 2 else w.host_structure)
        grant(person, w.site, Role.SPEAKER, establishment=w.host)
    assert count() == few


def test_revoke_within_scope(client, in_site):
    w = in_site
    client.force_login(w.establishment_referent)
    assignment = RoleAssignment.objects.get(user=w.consultant)
    response = client.post(revoke_url(assignment))
    assert response.status_code == 302 and response["Location"] == URL
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_revoke_outside_scope(client, in_site, other_world):
    w = in_site
    client.force_login(w.establishment_referent)
    host_one = grant(make_user(), w.site, Role.STRUCTURE_REFERENT, structure=w.host_structure)
    assert client.post(revoke_url(host_one)).status_code == 404  # not theirs to see
    own = RoleAssignment.objects.get(user=w.establishment_referent)
    assert client.post(revoke_url(own)).status_code == 403  # seen, not theirs to withdraw
    master = RoleAssignment.objects.get(user=w.master_referent)
    assert client.post(revoke_url(master)).status_code == 404
    with_scopes = RoleAssignment.objects.with_scopes_disabled()
    foreign = with_scopes.get(site=other_world.site, user=other_world.consultant)
    assert client.post(revoke_url(foreign)).status_code == 404
    client.force_login(w.master_referent)
    assert client.post(revoke_url(foreign)).status_code == 404
    assert client.get(revoke_url(own)).status_code == 405
    assert with_scopes.filter(pk__in=[host_one.pk, own.pk, master.pk, foreign.pk]).count() == 4


def test_others_may_not_revoke(client, world):
    target = RoleAssignment.objects.with_scopes_disabled().get(user=world.speaker)
    client.force_login(world.host_referent)  # another establishment's referent
    assert client.post(revoke_url(target)).status_code == 404
    client.force_login(world.pupil)
    assert client.post(revoke_url(target)).status_code == 403
    client.logout()
    assert client.post(revoke_url(target)).status_code == 302
    assert RoleAssignment.objects.with_scopes_disabled().filter(pk=target.pk).exists()


def test_the_last_master_referent_cannot_withdraw_their_role(client, in_site):
    w = in_site
    own = RoleAssignment.objects.get(user=w.master_referent, role=Role.MASTER_REFERENT)
    client.force_login(w.master_referent)
    response = client.post(revoke_url(own), follow=True)
    assert "last master-establishment referent" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    second = make_user()
    grant(second, w.site, Role.MASTER_REFERENT)
    client.post(revoke_url(own))
    assert not RoleAssignment.objects.filter(pk=own.pk).exists()


def test_revoke_buttons_follow_the_policy(client, world):
    client.force_login(world.establishment_referent)
    body = client.get(URL).content.decode()
    for user in (world.structure_referent, world.consultant, world.speaker):
        assignment = RoleAssignment.objects.with_scopes_disabled().get(user=user)
        assert revoke_url(assignment) in body
