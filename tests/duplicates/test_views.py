"""The review pages: the master referent only, on their own site, with constant queries."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Role
from apps.duplicates.models import DuplicateCandidate
from apps.registrations.models import Registration
from apps.tenancy.scoping import platform_job

from .helpers import pair, person

User = get_user_model()
LIST = reverse("duplicates:list")
BETA = "beta.localhost"


def review_url(candidate):
    return reverse("duplicates:review", args=[candidate.pk])


def status_of(candidate):
    with platform_job():
        return DuplicateCandidate.objects.get(pk=candidate.pk).status


def test_the_master_referent_sees_the_open_pairs_with_what_helps_deciding(client, world, twins):
    first, second, candidate = twins
    with platform_job():
        Registration.objects.create(site=world.site, slot=world.host_slot, person=second)
    client.force_login(world.master_referent)

    response = client.get(LIST)

    assert response.status_code == 200
    content = response.content.decode()
    for text in ("Élodie", "elodie", first.email, second.email, "14/03/2008", world.high_school.label):
        assert text in content, text
    assert review_url(candidate) in content
    rows = response.context["rows"]
    assert [row.candidate for row in rows] == [candidate]
    assert rows[0].b.registrations == 1 or rows[0].a.registrations == 1


def test_the_list_shows_open_pairs_only(client, world, twins):
    _first, _second, candidate = twins
    with platform_job():
        DuplicateCandidate.objects.filter(pk=candidate.pk).update(
            status=DuplicateCandidate.Status.NOT_DUPLICATE, reviewed_at=candidate.created_at
        )
    client.force_login(world.master_referent)
    response = client.get(LIST)
    assert response.context["rows"] == []
    assert review_url(candidate) not in response.content.decode()


def test_the_list_runs_a_constant_number_of_queries(client, world):
    client.force_login(world.master_referent)

    def add_pairs(start, count):
        for n in range(start, start + count):
            first = person(world.site, f"Prénom{n}", "Même", role=Role.PUPIL, high_school=world.high_school)
            second = person(world.site, f"PRENOM{n}", "meme", role=Role.VISITOR)
            with platform_job():
                Registration.objects.create(site=world.site, slot=world.host_slot, person=second)
            assert pair(world.site, first, second)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(queries), len(response.context["rows"])

    add_pairs(0, 2)
    client.get(LIST)
    few, shown_few = cost()
    add_pairs(2, 6)
    many, shown_many = cost()
    assert (shown_few, shown_many) == (2, 8)
    assert many == few


@pytest.mark.parametrize(
    "who", ["establishment_referent", "structure_referent", "speaker", "high_school_referent", "legal"]
)
def test_other_staff_may_not_review(client, world, twins, who):
    _first, _second, candidate = twins
    client.force_login(getattr(world, who))
    assert client.get(LIST).status_code == 403
    assert client.get(review_url(candidate)).status_code == 403
    response = client.post(review_url(candidate), {"decision": "not_duplicate"})
    assert response.status_code == 403
    assert status_of(candidate) == DuplicateCandidate.Status.OPEN


@pytest.mark.parametrize("who", ["pupil", "student", "visitor"])
def test_registrants_may_not_review(client, world, twins, who):
    _first, second, candidate = twins
    client.force_login(getattr(world, who))
    assert client.get(LIST).status_code == 403
    response = client.post(review_url(candidate), {"decision": "merge", "keep": second.pk})
    assert response.status_code == 403
    assert status_of(candidate) == DuplicateCandidate.Status.OPEN


def test_anonymous_people_are_sent_to_sign_in(client, world, twins):
    _first, _second, candidate = twins
    for url in (LIST, review_url(candidate)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("federation:sign_in"))


def test_another_sites_master_referent_cannot_reach_this_sites_pairs(client, world, other_world, twins):
    _first, second, candidate = twins
    client.force_login(other_world.master_referent)
    # On their own site, this site's pair does not exist.
    assert client.get(review_url(candidate), HTTP_HOST=BETA).status_code == 404
    response = client.post(review_url(candidate), {"decision": "merge", "keep": second.pk}, HTTP_HOST=BETA)
    assert response.status_code == 404
    # On this site, they are nobody.
    assert client.get(LIST).status_code == 403
    assert status_of(candidate) == DuplicateCandidate.Status.OPEN


def test_marking_not_a_duplicate(client, world, twins):
    _first, _second, candidate = twins
    client.force_login(world.master_referent)

    response = client.post(review_url(candidate), {"decision": "not_duplicate"}, follow=True)

    assert response.redirect_chain[-1][0] == LIST
    with platform_job():
        candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.NOT_DUPLICATE
    assert candidate.reviewed_by == world.master_referent and candidate.reviewed_at

    again = client.post(review_url(candidate), {"decision": "merge", "keep": candidate.user_a_id}, follow=True)
    assert [message.level_tag for message in again.context["messages"]] == ["error"]
    assert status_of(candidate) == DuplicateCandidate.Status.NOT_DUPLICATE
    assert User.objects.filter(pk__in=[candidate.user_a_id, candidate.user_b_id]).count() == 2


def test_merging_through_the_page(client, world, twins):
    first, second, candidate = twins
    client.force_login(world.master_referent)
    page = client.get(review_url(candidate))
    assert page.status_code == 200 and 'name="keep"' in page.content.decode()

    response = client.post(review_url(candidate), {"decision": "merge", "keep": second.pk})

    assert response.status_code == 302 and response.url == LIST
    assert not User.objects.filter(pk=first.pk).exists()
    assert User.objects.filter(pk=second.pk).exists()
    assert status_of(candidate) == DuplicateCandidate.Status.MERGED


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "merge"},  # no account chosen
        {"decision": "merge", "keep": "not-a-number"},
        {"decision": "delete-everything"},
    ],
    ids=["no-choice", "garbage", "unknown-decision"],
)
def test_bad_input_changes_nothing(client, world, twins, data):
    first, second, candidate = twins
    client.force_login(world.master_referent)
    response = client.post(review_url(candidate), data)
    assert response.status_code == 400
    assert status_of(candidate) == DuplicateCandidate.Status.OPEN
    assert User.objects.filter(pk__in=[first.pk, second.pk]).count() == 2


def test_a_forged_account_to_keep_is_refused(client, world, twins):
    first, second, candidate = twins
    client.force_login(world.master_referent)
    response = client.post(review_url(candidate), {"decision": "merge", "keep": world.pupil.pk})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'aria-describedby="keep-help keep-errors"' in content
    assert status_of(candidate) == DuplicateCandidate.Status.OPEN
    assert User.objects.filter(pk__in=[first.pk, second.pk, world.pupil.pk]).count() == 3


def test_an_unknown_pair_is_not_found(client, world):
    client.force_login(world.master_referent)
    assert client.get(reverse("duplicates:review", args=[999999])).status_code == 404
