"""The school and institution search behind the record form."""

from django.urls import reverse

from apps.core.search import accent_pattern, fold
from apps.directories.models import SchoolDirectoryEntry
from apps.records.selectors import search_schools
from apps.tenancy.scoping import for_site, platform_job

from .conftest import add_high_school

SCHOOLS = reverse("records:school_search")
INSTITUTIONS = reverse("records:institution_search")


def test_fold_and_pattern():
    assert fold("Lycée Kléber — Œuvre") == "lycee kleber — oeuvre"
    assert accent_pattern("Klé") == "[kK][lL][eéèêëEÉÈÊË]"
    assert accent_pattern("0670") == "0670"
    assert accent_pattern("a+b") == "[aàâäáãåAÀÂÄÁÃÅ].[bB]"


def test_search_is_accent_insensitive_and_limited_to_the_site(client, world, other_world, directory):
    client.force_login(world.pupil)
    page = client.get(SCHOOLS, {"q": "kleber"}).content.decode()
    assert f'value="hs:{world.high_school.pk}"' in page
    assert f'value="hs:{other_world.high_school.pk}"' not in page
    # Kléber is a partner here: not offered a second time from the directory.
    assert 'value="uai:0670001A"' not in page

    page = client.get(SCHOOLS, {"q": "LYCÉE strasbourg"}).content.decode()
    assert f'value="hs:{world.high_school.pk}"' in page
    assert f'value="hs:{world.host_high_school.pk}"' in page
    assert 'value="uai:0670099Z"' in page  # Jean Monnet, from the directory
    assert 'value="uai:0680077K"' not in page  # in Mulhouse

    page = client.get(SCHOOLS, {"q": "0680077"}).content.decode()
    assert 'value="uai:0680077K"' in page

    # On the other site, its own partner and the directory, never this site's high schools.
    client.force_login(other_world.pupil)
    page = client.get(SCHOOLS, {"q": "kleber"}, HTTP_HOST="beta.localhost").content.decode()
    assert f'value="hs:{other_world.high_school.pk}"' in page
    assert f'value="hs:{world.high_school.pk}"' not in page


def test_search_results_are_limited_and_short_queries_answer_nothing(client, world, directory):
    with platform_job():
        SchoolDirectoryEntry.objects.bulk_create(
            SchoolDirectoryEntry(uai=f"0{n:06d}Q", label=f"Lycée Général {n}", city="Metz") for n in range(30)
        )
    for n in range(3):
        add_high_school(world.site, f"Lycée Général Partenaire {n}", f"055{n:04d}P")
    client.force_login(world.pupil)
    page = client.get(SCHOOLS, {"q": "general"}).content.decode()
    assert page.count('type="radio"') == 20
    assert page.count('value="hs:') == 3  # partners first
    assert client.get(SCHOOLS, {"q": "l"}).content.decode().count('type="radio"') == 0
    assert client.get(SCHOOLS, {"q": "(.*)+$" * 20}).status_code == 200
    with for_site(world.site):
        assert len(search_schools(world.site, "général metz")) == 20


def test_inactive_partner_high_schools_are_not_offered(client, world):
    with for_site(world.site):
        world.high_school.is_active = False
        world.high_school.save()
    client.force_login(world.pupil)
    page = client.get(SCHOOLS, {"q": "kléber"}).content.decode()
    assert f'value="hs:{world.high_school.pk}"' not in page


def test_institution_search(client, world, directory):
    client.force_login(world.student)
    page = client.get(INSTITUTIONS, {"q": "haute alsace"}).content.decode()
    assert 'name="institution_choice" value="uai:0681166Y"' in page


def test_search_needs_a_signed_in_person_and_get(client, world, settings):
    settings.LOGIN_URL = "/sign-in/"
    assert client.get(SCHOOLS, {"q": "kleber"}).status_code == 302
    client.force_login(world.pupil)
    assert client.post(SCHOOLS, {"q": "kleber"}).status_code == 405
