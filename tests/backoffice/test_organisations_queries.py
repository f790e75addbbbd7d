"""Each organisations list runs the same number of queries with 3 rows as with 30."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.catalogue.models import Course, Training
from apps.organisations.models import Building, Campus, Establishment, HighSchool, Structure
from apps.tenancy.scoping import for_site

_counter = itertools.count()


def _numbers(n):
    return [next(_counter) for _ in range(n)]


def _add_establishments(w, n):
    for i in _numbers(n):
        e = Establishment.objects.create(site=w.site, code=f"E{i}", label=f"Établissement {i}")
        Structure.objects.create(site=w.site, establishment=e, code="S", label=f"Structure {i}")


def _add_high_schools(w, n):
    for i in _numbers(n):
        h = HighSchool.objects.create(
            site=w.site, uai=f"06{i:05d}X", label=f"Lycée {i}", city="Colmar", hosts_post_bac_trainings=True
        )
        Training.objects.create(site=w.site, label="BTS", high_school=h)


def _add_structures(w, n):
    for i in _numbers(n):
        s = Structure.objects.create(site=w.site, establishment=w.master, code=f"S{i}", label=f"Structure {i}")
        Training.objects.create(site=w.site, label="Licence", structure=s)


def _add_campuses(w, n):
    for i in _numbers(n):
        c = Campus.objects.create(site=w.site, establishment=w.master, label=f"Campus {i}")
        Building.objects.create(site=w.site, campus=c, label="A")


def _add_buildings(w, n):
    for i in _numbers(n):
        Building.objects.create(site=w.site, campus=w.campus, label=f"Bâtiment {i}", map_url="https://example.org")


def _add_trainings(w, n):
    for i in _numbers(n):
        t = Training.objects.create(site=w.site, label=f"Formation {i}", structure=w.structure)
        t.subdomains.add(w.subdomain)
        Course.objects.create(site=w.site, training=t, label="Cours")


LISTS = [
    ("establishment", Establishment, _add_establishments, "master_referent"),
    ("highschool", HighSchool, _add_high_schools, "master_referent"),
    ("structure", Structure, _add_structures, "master_referent"),
    ("structure", Structure, _add_structures, "establishment_referent"),
    ("campus", Campus, _add_campuses, "establishment_referent"),
    ("building", Building, _add_buildings, "establishment_referent"),
    ("training", Training, _add_trainings, "master_referent"),
    ("training", Training, _add_trainings, "establishment_referent"),
    ("training", Training, _add_trainings, "structure_referent"),
]


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"is_active": "true"})
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(("key", "model", "add", "role"), LISTS, ids=[f"{x[0]}-{x[3]}" for x in LISTS])
def test_list_queries_are_constant(client, world, key, model, add, role):
    client.force_login(getattr(world, role))
    path = reverse(f"backoffice:organisations_{key}_list")
    with for_site(world.site):
        add(world, 2)  # a few rows (the world has some already)
    _count(client, path)  # the first visit saves the filters (an insert); later ones update them
    few, response = _count(client, path)
    shown = response.context["table"].paginator.count
    with for_site(world.site):
        add(world, 28)
    many, response = _count(client, path)
    assert shown <= 10 and response.context["table"].paginator.count >= 30
    assert few == many, f"{few} queries with a few rows, {many} with 30"
