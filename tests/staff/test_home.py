"""staff:home: the landing page of the back office."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.records.models import PupilRecord, RecordStatus, VisitorRecord
from tests.factories import grant, make_user

URL = reverse("staff:home")


def tasks(response):
    body = response.content.decode()
    return {
        name
        for name in ("records", "people", "invite", "duplicates", "admin", "charter")
        if f'id="task-{name}"' in body
    }


def test_master_referent(client, world):
    client.force_login(world.master_referent)
    response = client.get(URL)
    assert response.status_code == 200
    assert {"records", "people", "invite", "admin", "charter"} <= tasks(response)
    assert response.context["summary"].pending_records == 1  # other_pupil's record
    assert response.context["summary"].may_review_duplicates


def test_high_school_referent_sees_their_pupils_to_validate(client, world):
    client.force_login(world.high_school_referent)
    response = client.get(URL)
    assert tasks(response) == {"records", "charter"}
    assert response.context["summary"].pending_records == 1
    assert 'data-count="1"' in response.content.decode()


def test_establishment_referent(client, in_site):
    w = in_site
    client.force_login(w.establishment_referent)
    response = client.get(URL)
    assert tasks(response) == {"records", "people", "invite", "charter"}
    assert response.context["summary"].pending_records == 0  # the pending pupil's school has an agreement
    PupilRecord.objects.create(site=w.site, user=make_user(), status=RecordStatus.TO_REVALIDATE)
    assert client.get(URL).context["summary"].pending_records == 1


@pytest.mark.parametrize("who", ["structure_referent", "consultant", "speaker", "legal"])
def test_other_staff(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(URL)
    assert response.status_code == 200
    expected = {"charter", "invite", "people"} if who == "structure_referent" else {"charter"}
    assert tasks(response) == expected  # structure referents bring speakers of their establishment
    assert [a.role for a in response.context["summary"].assignments]


def test_operator_without_role(client, world):
    client.force_login(world.operator)
    response = client.get(URL)
    assert response.status_code == 200
    assert {"people", "invite", "admin"} <= tasks(response)


def test_who_may_not(client, world, other_world):
    assert client.get(URL).status_code == 302
    for user in (world.pupil, world.student, world.visitor, other_world.master_referent):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_the_roles_are_those_of_this_site(client, world, other_world):
    grant(world.structure_referent, other_world.site, Role.MASTER_REFERENT)
    client.force_login(world.structure_referent)
    response = client.get(URL)
    assert [(a.site_id, a.role) for a in response.context["summary"].assignments] == [
        (world.site.pk, Role.STRUCTURE_REFERENT)
    ]
    assert tasks(response) == {"charter", "invite", "people"}  # structure referents bring speakers


def test_constant_queries(client, in_site):
    w = in_site
    client.force_login(w.master_referent)
    client.get(URL)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    few = count()
    for _n in range(10):
        PupilRecord.objects.create(
            site=w.site, user=make_user(), high_school=w.high_school, status=RecordStatus.TO_VALIDATE
        )
        VisitorRecord.objects.create(
            site=w.site, user=make_user(), status=RecordStatus.TO_VALIDATE, submitted_at=timezone.now()
        )
    assert count() == few
    assert client.get(URL).context["summary"].pending_records == 21
