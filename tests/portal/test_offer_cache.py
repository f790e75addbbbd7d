"""Public pages are cached per site and language, invalidated when the offer changes; list pages
run a constant number of queries whatever the size of the offer."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from apps.catalogue.models import Course, Event, Slot, Training
from apps.organisations.models import Building, Campus, Establishment, HighSchool, Structure
from apps.referentials.models import TrainingDomain, TrainingSubdomain
from apps.tenancy.scoping import for_site
from tests.factories import make_slot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def _content(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def test_editing_a_course_shows_at_once(client, world):
    urls = [
        reverse("portal:course", args=[world.course.pk]),
        reverse("portal:training", args=[world.training.pk]),
        reverse("portal:subdomain", args=[world.subdomain.pk]),
        reverse("portal:slot", args=[world.slot.pk]),
    ]
    for url in urls:
        assert "Algorithmique" in _content(client, url)

    with for_site(world.site):
        world.course.label = "Algorithmique avancée"
        world.course.save()

    for url in urls:
        assert "Algorithmique avancée" in _content(client, url), url


def test_a_cached_page_is_served_without_reading_the_offer(client, world):
    url = reverse("portal:training", args=[world.training.pk])
    _content(client, url)
    with for_site(world.site):
        Course.objects.filter(pk=world.course.pk).update(label="Changé sans signal")  # like the places counters

    assert "Changé sans signal" not in _content(client, url)  # served from the cache...
    cache.clear()
    assert "Changé sans signal" in _content(client, url)  # ...which expires


def test_cache_is_per_site_and_language(client, world, other_world):
    with for_site(other_world.site):
        Course.objects.filter(pk=other_world.course.pk).update(label="Cours de Beta")
    url = reverse("portal:course", args=[world.course.pk])
    month = world.slot.date
    english = _content(client, url)
    client.cookies["django_language"] = "fr"
    french = _content(client, url)
    beta = _content(client, reverse("portal:course", args=[other_world.course.pk]), HTTP_HOST="beta.localhost")

    with translation.override("en"):
        assert date_format(month, "F Y") in english
    with translation.override("fr"):
        assert date_format(month, "F Y") in french
    assert "Cours de Beta" in beta and "Cours de Beta" not in french
    assert client.get(reverse("portal:course", args=[other_world.course.pk])).status_code == 404


def _edit(world, what):
    site = world.site
    if what == "slot":
        make_slot(world, world.other_course, days=5)
    elif what == "subdomain_m2m":
        world.other_training.subdomains.add(world.subdomain)
    elif what == "training":
        Training.objects.create(site=site, label="Nouvelle licence", structure=world.structure).subdomains.add(
            world.subdomain
        )
    elif what == "domain":
        domain = world.subdomain.domain
        domain.label = "Sciences et techniques"
        domain.save()
    elif what == "subdomain":
        TrainingSubdomain.objects.create(site=site, domain=world.subdomain.domain, label="Nouvelle sous-section")
    elif what == "establishment":
        Establishment.objects.create(site=site, code="NEW", label="Nouvel établissement")
    elif what == "structure":
        Structure.objects.create(site=site, establishment=world.master, code="NEW", label="Nouvelle structure")
    elif what == "high_school":
        HighSchool.objects.create(
            site=site,
            uai="0670077K",
            label="Nouveau lycée",
            city="Haguenau",
            agreement_start=world.period.immersion_start,
        )
    elif what == "campus":
        Campus.objects.filter(pk=world.campus.pk).first().save()
    elif what == "building":
        Building.objects.get(pk=world.building.pk).save()
    elif what == "event":
        Event.objects.get(pk=world.event.pk).save()
    elif what == "slot_delete":
        make_slot(world, world.other_course, days=5).delete()


@pytest.mark.parametrize(
    "what,url,expected",
    [
        ("slot", "offer", "2 courses available"),
        ("subdomain_m2m", "offer", "2 courses available"),
        ("training", "subdomain", "Nouvelle licence"),
        ("domain", "offer", "Sciences et techniques"),
        ("subdomain", "offer", "Nouvelle sous-section"),
        ("establishment", "establishments", "Nouvel établissement"),
        ("structure", "establishments", "Nouvelle structure"),
        ("high_school", "high_schools", "Nouveau lycée"),
    ],
)
def test_offer_changes_invalidate_the_pages(client, world, what, url, expected):
    args = [world.subdomain.pk] if url == "subdomain" else []
    address = reverse(f"portal:{url}", args=args)
    if what == "slot":  # a second course of the training, without slot yet
        with for_site(world.site):
            world.other_course = Course.objects.create(
                site=world.site, training=world.training, label="Second", published=True
            )
    assert expected not in _content(client, address)

    with for_site(world.site):
        _edit(world, what)

    assert expected in _content(client, address)


@pytest.mark.parametrize("what", ["campus", "building", "event", "slot_delete"])
def test_every_offer_model_bumps_the_version(client, world, what):
    from apps.portal.cache import offer_version

    before = offer_version(world.site.pk)
    with for_site(world.site):
        _edit(world, what)
    assert offer_version(world.site.pk) > before


def test_the_personal_panel_is_never_cached(client, world):
    url = reverse("portal:slot", args=[world.slot.pk])
    client.force_login(world.other_pupil)
    assert "not been validated" in _content(client, url)

    client.force_login(world.pupil)
    content = _content(client, url)
    assert "You are registered" in content and "not been validated" not in content
    client.logout()
    assert "You are registered" not in _content(client, url)


# --- Constant query counts --------------------------------------------------------------------------


def _queries(client, url):
    cache.clear()  # cold: every measure reads everything
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(world, n=12):
    site = world.site
    with for_site(site):
        domain = TrainingDomain.objects.create(site=site, label="Arts")
        for i in range(n):
            subdomain = TrainingSubdomain.objects.create(site=site, domain=domain, label=f"Arts {i}")
            structure = Structure.objects.create(
                site=site, establishment=world.host, code=f"S{i}", label=f"Structure {i}"
            )
            training = Training.objects.create(site=site, label=f"Licence {i}", structure=structure)
            training.subdomains.add(subdomain, world.subdomain)
            course = Course.objects.create(site=site, training=training, label=f"Cours {i}", published=True)
            make_slot(world, course, days=1 + i % 7)
            make_slot(world, course, days=2 + i % 5, place=Slot.Place.REMOTE, remote_url="https://v.example.org/x")
            make_slot(world, world.course, days=3 + i % 4)
            Slot.objects.create(
                site=site,
                event=world.event,
                period=world.period,
                date=world.event_slot.date,
                start_time=world.event_slot.start_time,
                end_time=world.event_slot.end_time,
                campus=world.campus,
                building=world.building,
                individual_places=5,
                published=True,
            )
            Establishment.objects.create(site=site, code=f"E{i}", label=f"Établissement {i}")
            HighSchool.objects.create(
                site=site,
                uai=f"06701{i:02d}C",
                label=f"Lycée {i}",
                city="Colmar",
                agreement_start=world.period.immersion_start,
            )


@pytest.mark.parametrize(
    "name",
    ["offer", "events", "establishments", "high_schools", "search", "subdomain", "training", "course"],
)
def test_pages_run_a_constant_number_of_queries(client, world, name):
    args = {"subdomain": [world.subdomain.pk], "training": [world.training.pk], "course": [world.course.pk]}
    url = reverse(f"portal:{name}", args=args.get(name, []))
    before = _queries(client, url)

    _grow(world)

    assert _queries(client, url) == before
    assert before <= 12, before


def test_search_with_keywords_runs_a_constant_number_of_queries(client, world):
    url = reverse("portal:search") + "?q=licence&free_only=on"
    before = _queries(client, url)
    _grow(world)
    assert _queries(client, url) == before


def test_a_cached_page_reads_almost_nothing(client, world):
    url = reverse("portal:offer")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    offer_tables = ("catalogue_", "organisations_", "referentials_")
    assert not [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in offer_tables)]
