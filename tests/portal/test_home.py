import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.catalogue.models import Course, Slot, Training
from apps.organisations.models import Establishment, HighSchool
from apps.portal import selectors
from apps.tenancy.scoping import for_site
from tests.factories import make_slot

pytestmark = pytest.mark.django_db


def _count_home_queries(client):
    cache.clear()  # every measure starts cold: the host is resolved again
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_home_shows_its_own_site(client, world):
    response = client.get("/")

    assert response.status_code == 200
    assert response.context["site"] == world.site
    content = response.content.decode()
    assert "<h1" in content and world.site.name in content
    assert 'lang="fr"' in content
    assert 'href="#main"' in content and 'id="main"' in content


def test_home_shows_nothing_of_another_site(client, world, other_world):
    response = client.get("/", HTTP_HOST="beta.localhost")

    assert response.status_code == 200
    assert response.context["site"] == other_world.site
    content = response.content.decode()
    assert "Beta" in content
    assert "Alpha" not in content
    assert world.master.label not in content  # "Université alpha"
    assert world.host.label not in content
    assert other_world.master.label in content


def test_home_shows_no_personal_data(client, world):
    content = client.get("/").content.decode()

    assert world.speaker.email not in content
    assert world.speaker.last_name not in content
    assert world.pupil.email not in content


def _expected_figures(site):
    """The figures recomputed the slow, obvious way, with the models' own methods."""
    now = timezone.localtime()
    today = now.date()
    with for_site(site):
        public = [
            slot
            for slot in Slot.objects.select_related("course__training", "event")
            if slot.published
            and (slot.date, slot.start_time) > (today, now.time())
            and (
                slot.course.is_visible_on(today) and slot.course.training.is_active
                if slot.course_id
                else slot.event.is_visible_on(today)
            )
        ]
        return selectors.HomeFigures(
            courses=len({slot.course_id for slot in public if slot.course_id}),
            slots=len(public),
            establishments=Establishment.objects.filter(is_active=True).count(),
            high_schools=sum(school.is_active and school.has_agreement(today) for school in HighSchool.objects.all()),
        )


def test_home_figures(client, world, other_world):
    figures = client.get("/").context["figures"]

    assert figures == _expected_figures(world.site)
    assert figures.courses > 0 and figures.slots > figures.courses
    assert figures.establishments > 0 and figures.high_schools > 0


def test_home_figures_count_only_what_is_public(client, world):
    before = client.get("/").context["figures"]
    with for_site(world.site):
        course = Course.objects.create(site=world.site, training=world.training, label="Nouveau", published=True)
        make_slot(world, course, days=3)
        make_slot(world, course, days=4)
        # None of these is public: an unpublished course, an unpublished slot, a past slot,
        # a course whose publication is over, a closed training, a high school without agreement.
        draft = Course.objects.create(site=world.site, training=world.training, label="Brouillon")
        make_slot(world, draft)
        make_slot(world, course, published=False)
        make_slot(world, course, days=-3)
        expired = Course.objects.create(
            site=world.site,
            training=world.training,
            label="Archivé",
            published=True,
            publication_start=timezone.localdate() - dt.timedelta(days=30),
            publication_end=timezone.localdate() - dt.timedelta(days=1),
        )
        make_slot(world, expired)
        closed = Training.objects.create(site=world.site, label="Fermée", structure=world.structure, is_active=False)
        make_slot(world, Course.objects.create(site=world.site, training=closed, label="Ancien", published=True))
        HighSchool.objects.create(site=world.site, uai="0670099Z", label="Lycée sans convention", city="Colmar")

    after = client.get("/").context["figures"]

    assert after.courses == before.courses + 1
    assert after.slots == before.slots + 2
    assert after.establishments == before.establishments
    assert after.high_schools == before.high_schools
    assert after == _expected_figures(world.site)


def test_next_slots_are_the_six_soonest(client, world):
    with for_site(world.site):
        make_slot(world, world.course, days=1, individual_places=12)
        for days in range(20, 28):
            make_slot(world, world.course, days=days)

    slots = client.get("/").context["next_slots"]

    assert len(slots) == 6
    assert [slot.date for slot in slots] == sorted(slot.date for slot in slots)
    first = slots[0]
    assert first.label == world.course.label
    assert first.establishment == world.master.label
    assert first.places_left == 12
    bts = next(slot for slot in slots if slot.label == world.bts_course.label)
    assert bts.establishment == world.host_high_school.label


def test_next_slots_show_places_left(client, world):
    with for_site(world.site):
        Slot.objects.filter(pk=world.slot.pk).update(individual_places=10, individual_places_taken=10)

    response = client.get("/")

    slot = next(slot for slot in response.context["next_slots"] if slot.label == world.course.label)
    assert slot.places_left == 0
    assert "places-full" in response.content.decode()


def test_home_runs_a_constant_number_of_queries(client, world):
    before = _count_home_queries(client)

    with for_site(world.site):
        for n in range(30):
            course = Course.objects.create(site=world.site, training=world.training, label=f"Cours {n}", published=True)
            make_slot(world, course, days=1 + n % 10)
            make_slot(world, world.bts_course, days=2 + n % 5)

    after = _count_home_queries(client)

    assert after == before
    assert before <= 8, before


def test_unknown_host_gets_the_unknown_site_page(client, world):
    response = client.get("/", HTTP_HOST="nowhere.example.org")

    assert response.status_code == 404
    assert [t.name for t in response.templates] == ["tenancy/unknown_site.html"]
    content = response.content.decode()
    assert "Site introuvable" in content and "Site not found" in content
    assert "nowhere.example.org" in content
    assert world.site.name not in content


def test_unknown_page_of_a_known_site_is_a_404(client, world):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert world.site.name in response.content.decode()


def test_static_assets_of_the_page_exist(client, world):
    content = client.get("/").content.decode()
    assets = re.findall(r'(?:href|src)="/static/([^"?#]+)', content)

    assert {
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "vendor/htmx/htmx.min.js",
        "css/immersup.css",
    } <= set(assets)
    for asset in assets:
        assert finders.find(asset), asset
    for font in ("bootstrap-icons.woff2", "bootstrap-icons.woff"):
        assert finders.find(f"vendor/bootstrap-icons/fonts/{font}")
    assert not re.search(r'(?:href|src)="(?:https?:)?//', content), "no external asset"


def test_scripts_are_deferred(client, world):
    content = client.get("/").content.decode()

    scripts = re.findall(r"<script[^>]*>", content)
    assert scripts and all(" defer" in tag for tag in scripts if "src=" in tag)


def test_site_colours_become_css_custom_properties(client, world):
    world.site.primary_colour = "#ffcc00"  # light: text on it must be black
    world.site.save()

    content = client.get("/").content.decode()

    assert "--ims-primary:#ffcc00;" in content
    assert "--ims-on-primary:#000000;" in content


def test_invalid_colour_from_the_database_is_not_written_raw(client, world):
    world.site.primary_colour = "red;}</style><script>alert(1)</script>"[:7]
    world.site.save()

    content = client.get("/").content.decode()

    assert "--ims-primary:#1d4e89;" in content


def test_language_switch_to_english(client, world):
    assert 'lang="fr"' in client.get("/").content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/"
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert 'aria-current="true"' in content
    assert '<html lang="en">' in client.get("/").content.decode()


def test_language_switch_form_posts_to_set_language(client, world):
    content = client.get("/").content.decode()

    form = re.search(r'<form class="language-switch" action="([^"]+)" method="post">(.*?)</form>', content, re.S)
    assert form and form.group(1) == "/i18n/setlang/"
    assert "csrfmiddlewaretoken" in form.group(2)
    assert 'value="en"' in form.group(2) and 'value="fr"' in form.group(2)


def test_site_branding_texts_and_logo(client, world):
    world.site.tagline = "Vivez l'université"
    world.site.welcome_text = "Bienvenue <script>alert(1)</script>"
    world.site.footer_text = "Région académique\nGrand Est"
    world.site.contact_email = "contact@alpha.example.org"
    world.site.logo.name = "sites/logos/alpha.png"
    world.site.save()

    content = client.get("/").content.decode()

    assert "Vivez l&#x27;université" in content
    assert "<script>alert(1)</script>" not in content and "&lt;script&gt;" in content
    assert "Région académique<br>Grand Est" in content
    assert 'href="mailto:contact@alpha.example.org"' in content
    assert '<img src="/media/sites/logos/alpha.png" alt=""' in content
