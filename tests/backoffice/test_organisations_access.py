"""Permission matrix of the organisations area: every URL, as every role, on own and others' rows."""

import pytest
from django.urls import reverse

from apps.organisations.models import Building, Campus
from apps.staff.models import CharterSignature
from apps.tenancy.scoping import for_site

ROLES = (
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
)
MASTERS = {"operator", "master_referent"}
MASTER_SIDE = MASTERS | {"establishment_referent"}  # w.master's establishment referent
HOST_SIDE = MASTERS | {"host_referent"}
PLACE_MANAGERS = MASTERS | {"establishment_referent", "host_referent"}
TRAINING_READERS = PLACE_MANAGERS | {"structure_referent", "consultant", "host_high_school_referent"}
TRAINING_ADDERS = PLACE_MANAGERS | {"host_high_school_referent"}

# (URL name, the world's attribute holding the row or None, HTTP method, roles allowed)
CASES = [
    ("organisations_establishment_list", None, "get", PLACE_MANAGERS),
    ("organisations_establishment_create", None, "get", MASTERS),
    ("organisations_establishment_edit", "master", "get", MASTER_SIDE),
    ("organisations_establishment_edit", "host", "get", HOST_SIDE),
    ("organisations_establishment_deactivate", "host", "post", MASTERS),
    ("organisations_establishment_delete", "host", "post", MASTERS),
    ("organisations_highschool_list", None, "get", MASTERS),
    ("organisations_highschool_create", None, "get", MASTERS),
    ("organisations_highschool_edit", "high_school", "get", MASTERS),
    ("organisations_highschool_deactivate", "high_school", "post", MASTERS),
    ("organisations_institution_search", None, "get", MASTERS),
    ("organisations_school_search", None, "get", MASTERS),
    ("organisations_structure_list", None, "get", PLACE_MANAGERS),
    ("organisations_structure_create", None, "get", PLACE_MANAGERS),
    ("organisations_structure_edit", "structure", "get", MASTER_SIDE),
    ("organisations_structure_edit", "host_structure", "get", HOST_SIDE),
    ("organisations_structure_deactivate", "structure", "post", MASTER_SIDE),
    ("organisations_structure_deactivate", "host_structure", "post", HOST_SIDE),
    ("organisations_structure_delete", "structure", "post", MASTER_SIDE),
    ("organisations_structure_delete", "host_structure", "post", HOST_SIDE),
    ("organisations_campus_list", None, "get", PLACE_MANAGERS),
    ("organisations_campus_create", None, "get", PLACE_MANAGERS),
    ("organisations_campus_edit", "campus", "get", MASTER_SIDE),
    ("organisations_campus_edit", "host_campus", "get", HOST_SIDE),
    ("organisations_campus_deactivate", "campus", "post", MASTER_SIDE),
    ("organisations_campus_deactivate", "host_campus", "post", HOST_SIDE),
    ("organisations_campus_delete", "campus", "post", MASTER_SIDE),
    ("organisations_campus_delete", "host_campus", "post", HOST_SIDE),
    ("organisations_building_list", None, "get", PLACE_MANAGERS),
    ("organisations_building_create", None, "get", PLACE_MANAGERS),
    ("organisations_building_edit", "building", "get", MASTER_SIDE),
    ("organisations_building_edit", "host_building", "get", HOST_SIDE),
    ("organisations_building_deactivate", "building", "post", MASTER_SIDE),
    ("organisations_building_deactivate", "host_building", "post", HOST_SIDE),
    ("organisations_building_delete", "building", "post", MASTER_SIDE),
    ("organisations_building_delete", "host_building", "post", HOST_SIDE),
    ("organisations_training_list", None, "get", TRAINING_READERS),
    ("organisations_training_create", None, "get", TRAINING_ADDERS),
    ("organisations_training_edit", "training", "get", MASTER_SIDE),
    ("organisations_training_edit", "host_training", "get", HOST_SIDE),
    ("organisations_training_edit", "bts", "get", MASTERS | {"host_high_school_referent"}),
    ("organisations_training_deactivate", "training", "post", MASTER_SIDE),
    ("organisations_training_deactivate", "bts", "post", MASTERS | {"host_high_school_referent"}),
    ("organisations_training_delete", "training", "post", MASTER_SIDE),
    ("organisations_training_delete", "bts", "post", MASTERS | {"host_high_school_referent"}),
]

#: Every URL name of the area, for the lead's meta-test.
URL_NAMES = sorted({name for name, *_rest in CASES})


def _org_rows(world):
    """Add to the world a campus and a building of the host establishment, each in use, and
    sign the host high school's charter (so that its referent may use the back office)."""
    with for_site(world.site):
        world.host_campus = Campus.objects.create(site=world.site, establishment=world.host, label="Campus nord")
        world.host_building = Building.objects.create(site=world.site, campus=world.host_campus, label="Forum")
        world.host_slot.campus, world.host_slot.building = world.host_campus, world.host_building
        world.host_slot.save()
        CharterSignature.objects.create(
            site=world.site,
            charter=world.charter,
            high_school=world.host_high_school,
            signed_by=world.host_high_school_referent,
        )
    return world


@pytest.fixture
def org_world(world):
    return _org_rows(world)


def _call(client, world, role, name, attr, method, host="testserver"):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    args = [getattr(world, attr).pk] if attr else []
    url = reverse(f"backoffice:{name}", args=args)
    if method == "get":
        return client.get(url, HTTP_HOST=host)
    return client.post(url, HTTP_HOST=host)


def _assert(response, method, outcome):
    if outcome == "login":
        assert response.status_code == 302
        assert reverse("federation:sign_in") in response["Location"]
    elif outcome == "ok":
        assert response.status_code == (200 if method == "get" else 302), response.status_code
        if method == "post":
            assert reverse("federation:sign_in") not in response["Location"]
    else:
        assert response.status_code == outcome


@pytest.fixture(scope="class")
def matrix_world(class_world):
    """``org_world``, built once for a test class (see ``class_db`` in tests/conftest.py)."""
    return _org_rows(class_world)


class TestMatrix:
    """One world for the whole matrix: each case runs in a savepoint rolled back after it."""

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize(("name", "attr", "method", "allowed"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
    def test_matrix(self, client, matrix_world, db, role, name, attr, method, allowed):
        if role == "anonymous":
            outcome = "login"
        elif role in allowed:
            outcome = "ok"
        else:
            outcome = 403
        _assert(_call(client, matrix_world, role, name, attr, method), method, outcome)


OTHER_SITE_CASES = [
    ("organisations_establishment_edit", "host", "get"),
    ("organisations_establishment_deactivate", "host", "post"),
    ("organisations_establishment_delete", "host", "post"),
    ("organisations_highschool_edit", "high_school", "get"),
    ("organisations_highschool_deactivate", "high_school", "post"),
    ("organisations_structure_edit", "structure", "get"),
    ("organisations_structure_deactivate", "structure", "post"),
    ("organisations_structure_delete", "structure", "post"),
    ("organisations_campus_edit", "campus", "get"),
    ("organisations_campus_deactivate", "campus", "post"),
    ("organisations_campus_delete", "campus", "post"),
    ("organisations_building_edit", "building", "get"),
    ("organisations_building_deactivate", "building", "post"),
    ("organisations_building_delete", "building", "post"),
    ("organisations_training_edit", "training", "get"),
    ("organisations_training_deactivate", "training", "post"),
    ("organisations_training_delete", "training", "post"),
]


class TestOtherSitesRows:
    @pytest.mark.parametrize("role", ["operator", "master_referent", "establishment_referent"])
    @pytest.mark.parametrize(("name", "attr", "method"), OTHER_SITE_CASES)
    def test_other_sites_rows_are_not_found(self, client, class_world, class_other_world, db, role, name, attr, method):
        """An id of another site's row, used on this site, is unknown here: 404, nothing changed."""
        world, other_world = class_world, class_other_world
        client.force_login(getattr(world, role))
        url = reverse(f"backoffice:{name}", args=[getattr(other_world, attr).pk])
        response = client.get(url) if method == "get" else client.post(url)
        assert response.status_code == 404
        row = getattr(other_world, attr)
        with for_site(other_world.site):
            assert type(row).objects.filter(pk=row.pk, is_active=True).exists()


def test_inactive_training_of_another_establishment_is_not_found(client, org_world):
    """What the policy does not let one see is a 404, not a 403."""
    w = org_world
    with for_site(w.site):
        w.host_training.is_active = False
        w.host_training.save()
    client.force_login(w.establishment_referent)
    response = client.get(reverse("backoffice:organisations_training_edit", args=[w.host_training.pk]))
    assert response.status_code == 404


def test_huge_ids_are_not_found(client, world):
    client.force_login(world.master_referent)
    response = client.get(reverse("backoffice:organisations_structure_edit", args=[2**40]))
    assert response.status_code == 404


def test_unsigned_host_high_school_is_sent_to_the_charter(client, world):
    client.force_login(world.host_high_school_referent)
    response = client.get(reverse("backoffice:organisations_training_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:charter")


def test_get_on_actions_is_refused(client, world):
    client.force_login(world.master_referent)
    url = reverse("backoffice:organisations_structure_deactivate", args=[world.structure.pk])
    assert client.get(url).status_code == 405
    with for_site(world.site):
        world.structure.refresh_from_db()
    assert world.structure.is_active
