"""Establishments, high schools, structures, campuses and buildings in the back office, through HTTP."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.directories.models import HigherEducationInstitution, SchoolDirectoryEntry
from apps.organisations.models import Building, Campus, Establishment, HighSchool, Structure
from apps.tenancy.scoping import for_site
from tests.factories import grant, make_user


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"  # assertions read the English source messages


def url(name, *args):
    return reverse(f"backoffice:organisations_{name}", args=args)


def rows(model, site, **filters):
    with for_site(site):
        return list(model.objects.filter(**filters))


@pytest.fixture
def institution(db):
    return HigherEducationInstitution.objects.create(
        uai="0673021V", label="Université de Haute-Alsace", city="Mulhouse", zip_code="68100"
    )


# --- Establishments -------------------------------------------------------------------------


def test_master_adds_a_host_establishment_from_the_national_directory(client, world, institution):
    client.force_login(world.master_referent)
    response = client.post(url("establishment_create"), {"code": "UHA", "uai": institution.uai, "is_active": "on"})
    assert response.status_code == 302
    (created,) = rows(Establishment, world.site, code="UHA")
    assert (created.label, created.city, created.institution_id) == (
        "Université de Haute-Alsace",
        "Mulhouse",
        institution.pk,
    )
    assert not created.is_master


def test_the_directory_search_offers_institutions_not_yet_on_the_site(client, world, institution):
    HigherEducationInstitution.objects.create(uai="0671712A", label="Université voisine", city="Mulhouse")
    with for_site(world.site):
        world.host.uai = "0671712A"
        world.host.save()
    client.force_login(world.master_referent)
    response = client.get(url("institution_search"), {"q": "mulhouse"})
    assert response.status_code == 200
    assert 'data-label="Université de Haute-Alsace"' in response.text
    assert "Université voisine" not in response.text
    assert "Type at least" in client.get(url("institution_search"), {"q": "m"}).text


def test_an_establishment_without_name_nor_known_uai_is_refused(client, world):
    client.force_login(world.master_referent)
    response = client.post(url("establishment_create"), {"code": "X"})
    assert response.status_code == 400
    assert 'id="id_label_error"' in response.text
    assert 'aria-describedby="id_label_error id_label_helptext"' in response.text
    assert not rows(Establishment, world.site, code="X")


def test_a_duplicate_short_name_is_a_form_error(client, world):
    client.force_login(world.master_referent)
    response = client.post(url("establishment_create"), {"code": world.host.code, "label": "Autre"})
    assert response.status_code == 400
    assert "Another establishment has this short name." in response.text


def test_establishment_referent_changes_its_details_but_not_the_master_flag(client, world):
    client.force_login(world.establishment_referent)
    page = client.get(url("establishment_edit", world.master.pk))
    assert 'name="is_master"' not in page.text and 'name="code"' not in page.text
    data = {"label": "Université renommée", "city": "Colmar", "is_master": "", "code": "HACK"}
    assert client.post(url("establishment_edit", world.master.pk), data).status_code == 302
    with for_site(world.site):
        world.master.refresh_from_db()
    assert (world.master.label, world.master.code, world.master.is_master) == ("Université renommée", "UMA", True)


def test_the_master_establishment_keeps_its_flag_and_cannot_go(client, world):
    client.force_login(world.master_referent)
    data = {"code": "UMA", "label": "U", "is_active": "on"}  # is_master unticked
    response = client.post(url("establishment_edit", world.master.pk), data)
    assert response.status_code == 400
    assert "The master establishment keeps its flag." in response.text
    response = client.post(url("establishment_deactivate", world.master.pk), follow=True)
    assert "cannot be deactivated" in response.text
    response = client.post(url("establishment_delete", world.master.pk), follow=True)
    assert "cannot be deleted" in response.text
    (master,) = rows(Establishment, world.site, pk=world.master.pk)
    assert master.is_master and master.is_active


def test_no_second_master(client, world):
    client.force_login(world.master_referent)
    data = {"code": "HOST", "label": "École", "is_master": "on", "is_active": "on"}
    response = client.post(url("establishment_edit", world.host.pk), data)
    assert response.status_code == 400
    assert "already has a master establishment" in response.text


def test_host_establishment_in_use_is_deactivated_not_deleted(client, world):
    client.force_login(world.master_referent)
    response = client.post(url("establishment_delete", world.host.pk), follow=True)
    assert "deactivate it instead" in response.text
    assert client.post(url("establishment_deactivate", world.host.pk)).status_code == 302
    (host,) = rows(Establishment, world.site, pk=world.host.pk)
    assert not host.is_active


def test_establishment_list_filters(client, world):
    client.force_login(world.master_referent)
    response = client.get(url("establishment_list"), {"kind": "host"})
    assert world.host.label in response.text and world.master.label not in response.text
    response = client.get(url("establishment_list"), {"q": "UMA"})
    assert world.master.label in response.text and world.host.label not in response.text
    client.force_login(world.host_referent)
    response = client.get(url("establishment_list"), {"q": ""})
    assert world.host.label in response.text and world.master.label not in response.text


# --- High schools ---------------------------------------------------------------------------


def hs_data(**extra):
    return {"uai": "0680099Z", "label": "Lycée Schweitzer", "city": "Mulhouse", "is_active": "on", **extra}


def test_master_adds_a_high_school_by_hand_with_an_agreement(client, world):
    client.force_login(world.master_referent)
    data = hs_data(agreement_start="2025-09-01", agreement_end="2026-08-31", hosts_post_bac_trainings="on")
    assert client.post(url("highschool_create"), data).status_code == 302
    (school,) = rows(HighSchool, world.site, uai="0680099Z")
    assert school.agreement_end == dt.date(2026, 8, 31) and school.hosts_post_bac_trainings
    assert not school.accepts_individual_immersions  # unticked box


def test_a_high_school_from_the_uai_directory(client, world):
    SchoolDirectoryEntry.objects.create(uai="0680100A", label="Lycée Montaigne", city="Mulhouse")
    client.force_login(world.master_referent)
    assert "Lycée Montaigne" in client.get(url("school_search"), {"q": "montaigne"}).text
    assert client.post(url("highschool_create"), {"uai": "0680100A", "is_active": "on"}).status_code == 302
    (school,) = rows(HighSchool, world.site, uai="0680100A")
    assert (school.label, school.city, school.directory_entry.uai) == ("Lycée Montaigne", "Mulhouse", "0680100A")


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"agreement_end": "2026-01-01"}, "An agreement with an end needs a start."),
        ({"agreement_start": "2026-01-02", "agreement_end": "2026-01-01"}, "cannot end before it starts"),
    ],
)
def test_agreement_dates_are_checked(client, world, dates, message):
    client.force_login(world.master_referent)
    response = client.post(url("highschool_create"), hs_data(**dates))
    assert response.status_code == 400
    assert message in response.text
    assert not rows(HighSchool, world.site, uai="0680099Z")


def test_unknown_uai_needs_a_typed_name(client, world):
    client.force_login(world.master_referent)
    response = client.post(url("highschool_create"), {"uai": "0680101B", "is_active": "on"})
    assert response.status_code == 400
    assert "This UAI is not in the directory" in response.text


def test_a_high_school_with_trainings_keeps_hosting(client, world):
    client.force_login(world.master_referent)
    data = hs_data(uai=world.host_high_school.uai, label="Lycée Couffignal", city="Strasbourg")
    response = client.post(url("highschool_edit", world.host_high_school.pk), data)
    assert response.status_code == 400
    assert "still has active trainings" in response.text


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"agreement": "in_force"}, "Lycée Kléber", "Lycée Couffignal"),
        ({"agreement": "none"}, "Lycée Couffignal", "Lycée Kléber"),
        ({"hosts_post_bac_trainings": "true"}, "Lycée Couffignal", "Lycée Kléber"),
        ({"accepts_individual_immersions": "false"}, "Lycée Couffignal", "Lycée Kléber"),
        ({"city": "stras", "q": "kleber"}, "Lycée Kléber", "Lycée Couffignal"),
    ],
)
def test_high_school_list_filters(client, world, params, shown, hidden):
    with for_site(world.site):
        HighSchool.objects.filter(pk=world.host_high_school.pk).update(accepts_individual_immersions=False)
    client.force_login(world.master_referent)
    response = client.get(url("highschool_list"), params)
    assert shown in response.text and hidden not in response.text


def test_expired_agreements_are_found(client, world):
    today = timezone.localdate()
    with for_site(world.site):
        HighSchool.objects.filter(pk=world.high_school.pk).update(
            agreement_start=today - dt.timedelta(days=400), agreement_end=today - dt.timedelta(days=1)
        )
    client.force_login(world.master_referent)
    response = client.get(url("highschool_list"), {"agreement": "expired"})
    assert "Lycée Kléber" in response.text and "Expired" in response.text


# --- Structures, campuses, buildings -------------------------------------------------------------


def test_establishment_referent_adds_a_structure_a_campus_and_a_building(client, world):
    client.force_login(world.establishment_referent)
    data = {"establishment": world.master.pk, "code": "MED", "label": "Médecine", "is_active": "on"}
    assert client.post(url("structure_create"), data).status_code == 302
    data = {"establishment": world.master.pk, "label": "Campus santé", "city": "Strasbourg", "is_active": "on"}
    assert client.post(url("campus_create"), data).status_code == 302
    (campus,) = rows(Campus, world.site, label="Campus santé")
    data = {"campus": campus.pk, "label": "Bâtiment B", "map_url": "maps.example.org/b", "is_active": "on"}
    assert client.post(url("building_create"), data).status_code == 302
    (building,) = rows(Building, world.site, label="Bâtiment B")
    assert building.map_url == "https://maps.example.org/b"
    assert rows(Structure, world.site, code="MED", establishment=world.master)
    listing = client.get(url("building_list"), {"q": ""})
    assert 'href="https://maps.example.org/b"' in listing.text


@pytest.mark.parametrize("target", ["host", "other_site"])
def test_forged_establishment_or_campus_is_a_form_error(client, world, other_world, target):
    foreign = {"host": world, "other_site": other_world}[target]
    establishment = foreign.host if target == "host" else foreign.master
    client.force_login(world.establishment_referent)
    for kind, data in (
        ("structure", {"establishment": establishment.pk, "code": "FORGE", "label": "Forgée"}),
        ("campus", {"establishment": establishment.pk, "label": "Forgé"}),
    ):
        response = client.post(url(f"{kind}_create"), data)
        assert response.status_code == 400
        assert "Select a valid choice" in response.text
    with for_site(foreign.site):
        foreign_campus = Campus.objects.create(site=foreign.site, establishment=establishment, label="Loin")
    response = client.post(url("building_create"), {"campus": foreign_campus.pk, "label": "Forgé"})
    assert response.status_code == 400
    assert not rows(Structure, world.site, code="FORGE") and not rows(Building, world.site, label="Forgé")
    # moving an own structure to the host establishment is refused too
    data = {"establishment": world.host.pk, "code": "SCI", "label": "Sciences", "is_active": "on"}
    assert client.post(url("structure_edit", world.structure.pk), data).status_code == 400
    (structure,) = rows(Structure, world.site, pk=world.structure.pk)
    assert structure.establishment_id == world.master.pk


def test_lists_show_only_the_referents_establishment(client, world):
    client.force_login(world.host_referent)
    response = client.get(url("structure_list"), {"q": ""})
    assert "Ingénierie" in response.text and "Sciences" not in response.text
    assert world.master.label not in response.text  # not offered in the filter either
    response = client.get(url("campus_list"), {"q": ""})
    assert "Campus central" not in response.text


@pytest.mark.parametrize(
    ("kind", "attr", "message"),
    [
        ("structure", "structure", "This structure is in use"),
        ("campus", "campus", "This campus is in use"),
        ("building", "building", "This building is in use"),
    ],
)
def test_rows_in_use_are_not_deleted(client, world, kind, attr, message):
    client.force_login(world.establishment_referent)
    response = client.post(url(f"{kind}_delete", getattr(world, attr).pk), follow=True)
    assert message in response.text
    assert "Deactivate" in response.text  # the edit page offers the way out
    row = getattr(world, attr)
    assert rows(type(row), world.site, pk=row.pk)


def test_a_structure_where_people_hold_roles_is_not_deleted(client, world):
    with for_site(world.site):
        staffed = Structure.objects.create(site=world.site, establishment=world.master, code="NEW", label="Neuve")
        grant(make_user(), world.site, Role.STRUCTURE_CONSULTANT, structure=staffed)
    client.force_login(world.establishment_referent)
    response = client.post(url("structure_delete", staffed.pk), follow=True)
    assert "This structure is in use" in response.text
    assert rows(Structure, world.site, pk=staffed.pk)


def test_an_unused_structure_is_deleted(client, world):
    with for_site(world.site):
        unused = Structure.objects.create(site=world.site, establishment=world.master, code="NEW", label="Neuve")
    client.force_login(world.establishment_referent)
    assert client.post(url("structure_delete", unused.pk)).status_code == 302
    assert not rows(Structure, world.site, pk=unused.pk)
