"""The public slot search: filters, accent-insensitive keywords, pagination, bad input."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.catalogue.models import Course, Slot, Training
from apps.organisations.models import Campus
from apps.portal.search import PAGE_SIZE, normalise
from apps.referentials.models import TrainingDomain, TrainingSubdomain
from apps.tenancy.scoping import for_site
from tests.factories import make_slot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def _search(client, **params):
    response = client.get(reverse("portal:search"), params)
    assert response.status_code == 200
    return response


def _found(response):
    content = response.content.decode()
    results = content[content.index('id="results-title"') :]
    return results


def _url(slot):
    return f'href="{reverse("portal:slot", args=[slot.pk])}"'


def test_without_filters_every_upcoming_public_slot(client, world, other_world):
    found = _found(_search(client))

    for slot in (world.slot, world.host_slot, world.other_slot, world.bts_slot, world.event_slot):
        assert _url(slot) in found
    assert _url(world.draft_slot) not in found
    assert _url(other_world.slot) not in found and _url(other_world.event_slot) not in found


def test_hidden_slots_are_never_found(client, world):
    with for_site(world.site):
        past = make_slot(world, world.course, days=-1)
        cancelled = make_slot(world, world.course, cancelled_at=timezone.now())
        draft_course = Course.objects.create(site=world.site, training=world.training, label="Algorithmique 2")
        hidden = make_slot(world, draft_course)

    found = _found(_search(client, q="algorithmique"))

    assert _url(world.slot) in found
    for slot in (past, cancelled, hidden, world.draft_slot):
        assert _url(slot) not in found


def test_normalise():
    assert normalise("Génie ÉLECTRIQUE Œuvre") == "genie electrique oeuvre"


@pytest.mark.parametrize("keywords", ["genie", "GÉNIE", "génie civil", "Genie  CIVIL", "civil génie"])
def test_keywords_ignore_accents_and_case(client, world, keywords):
    with for_site(world.site):
        course = Course.objects.create(site=world.site, training=world.training, label="Génie civil", published=True)
        slot = make_slot(world, course, days=3)

    found = _found(_search(client, q=keywords))

    assert _url(slot) in found
    assert _url(world.slot) not in found


def test_keywords_search_training_and_event_labels(client, world):
    assert _url(world.bts_slot) in _found(_search(client, q="bts sio"))
    assert _url(world.event_slot) in _found(_search(client, q="portes"))
    assert _url(world.slot) not in _found(_search(client, q="portes"))
    assert "0 slots found" in _found(_search(client, q="zzz"))


def test_date_range(client, world):
    with for_site(world.site):
        soon = make_slot(world, world.course, days=2)
        later = make_slot(world, world.course, days=20)
    today = timezone.localdate()

    found = _found(_search(client, date_from=today + dt.timedelta(days=1), date_to=today + dt.timedelta(days=10)))

    assert _url(soon) in found and _url(world.slot) in found
    assert _url(later) not in found


def test_domain_filter(client, world):
    with for_site(world.site):
        arts = TrainingDomain.objects.create(site=world.site, label="Arts")
        TrainingSubdomain.objects.create(site=world.site, domain=arts, label="Musique")

    found = _found(_search(client, domain=world.subdomain.domain_id))
    assert _url(world.slot) in found
    assert _url(world.other_slot) not in found and _url(world.event_slot) not in found

    assert "0 slots found" in _found(_search(client, domain=arts.pk))


def test_establishment_and_high_school_filter(client, world):
    found = _found(_search(client, host=f"e{world.host.pk}"))
    assert _url(world.host_slot) in found
    assert _url(world.slot) not in found

    found = _found(_search(client, host=f"e{world.master.pk}"))
    assert _url(world.slot) in found and _url(world.event_slot) in found
    assert _url(world.host_slot) not in found

    found = _found(_search(client, host=f"h{world.host_high_school.pk}"))
    assert _url(world.bts_slot) in found
    assert _url(world.slot) not in found


def test_campus_filter(client, world):
    with for_site(world.site):
        other = Campus.objects.create(site=world.site, establishment=world.master, label="Campus nord")
        north = make_slot(world, world.course, campus=other, building=None)

    found = _found(_search(client, campus=other.pk))
    assert _url(north) in found and _url(world.slot) not in found


def test_face_to_face_or_remote(client, world):
    with for_site(world.site):
        remote = make_slot(world, world.course, place=Slot.Place.REMOTE, remote_url="https://visio.example.org/secret")

    found = _found(_search(client, mode="remote"))
    assert _url(remote) in found and _url(world.slot) not in found
    assert "visio.example.org" not in found

    found = _found(_search(client, mode="face_to_face"))
    assert _url(remote) not in found and _url(world.slot) in found and _url(world.bts_slot) in found


def test_free_places_only(client, world):
    with for_site(world.site):
        Slot.objects.filter(pk=world.slot.pk).update(individual_places=1)  # one taken: full
        groups = make_slot(world, world.course, allows_individual_registrations=False, allows_group_registrations=True)

    found = _found(_search(client, free_only="on"))

    assert _url(world.slot) not in found and _url(groups) not in found
    assert _url(world.other_slot) in found


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "not-a-date"},
        {"date_to": "2026-02-31"},
        {"domain": "abc"},
        {"domain": "999999"},
        {"host": "x1"},
        {"host": "e999999"},
        {"campus": "-1"},
        {"mode": "teleport"},
        {"q": "x" * 101},
        {"date_from": "2030-01-10", "date_to": "2030-01-01"},
    ],
)
def test_bad_filters_give_a_form_error_not_a_500(client, world, params):
    response = _search(client, **params)

    content = response.content.decode()
    assert response.context["form"].errors
    assert 'role="alert"' in content and 'aria-invalid="true"' in content
    assert response.context["results"] is None


def test_bad_filters_are_translated(client, world):
    client.cookies["django_language"] = "fr"
    content = _search(client, date_from="n'importe quoi").content.decode()

    assert "Saisissez une date valide." in content


def test_another_sites_choices_are_refused(client, world, other_world):
    response = _search(client, campus=other_world.campus.pk, host=f"e{other_world.master.pk}")

    assert set(response.context["form"].errors) == {"campus", "host"}


def test_pagination_keeps_the_filters(client, world):
    with for_site(world.site):
        course = Course.objects.create(site=world.site, training=world.training, label="Génie logiciel", published=True)
        slots = [make_slot(world, course, days=1 + n % 30) for n in range(PAGE_SIZE + 3)]

    first = _search(client, q="genie logiciel")
    content = first.content.decode()
    assert "23 slots found" in content, content[content.index("results-title") :][:300]
    assert "q=genie+logiciel&amp;page=2" in content
    second = _found(_search(client, q="genie logiciel", page=2))
    shown = [slot for slot in slots if _url(slot) in second]
    assert len(shown) == 3
    assert _found(_search(client, q="genie logiciel", page="abc")) == _found(first)  # a bad page: the first one


def test_training_of_an_inactive_training_is_not_found(client, world):
    with for_site(world.site):
        Training.objects.filter(pk=world.training.pk).update(is_active=False)

    assert _url(world.slot) not in _found(_search(client))


def test_signed_in_people_get_the_same_results(client, world):
    anonymous = _found(_search(client, q="algo"))
    client.force_login(world.pupil)
    assert _found(_search(client, q="algo")) == anonymous
