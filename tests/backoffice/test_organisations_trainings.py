"""Trainings in the back office: who sees and changes which, owners limited to one's scope."""

import pytest
from django.urls import reverse

from apps.catalogue.models import Training
from apps.organisations.models import HighSchool
from apps.referentials.models import TrainingDomain, TrainingSubdomain
from apps.staff.models import CharterSignature
from apps.tenancy.scoping import for_site


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def url(name, *args):
    return reverse(f"backoffice:organisations_{name}", args=args)


def trainings(site, **filters):
    with for_site(site):
        return list(Training.objects.filter(**filters).prefetch_related("subdomains"))


@pytest.fixture
def signed(world):
    """The host high school has signed the charter: its referent may use the back office."""
    with for_site(world.site):
        CharterSignature.objects.create(
            site=world.site, charter=world.charter, high_school=world.host_high_school, signed_by=world.master_referent
        )
    return world


def test_establishment_referent_adds_a_training_with_subdomains(client, world):
    with for_site(world.site):
        domain = TrainingDomain.objects.create(site=world.site, label="Santé")
        health = TrainingSubdomain.objects.create(site=world.site, domain=domain, label="Médecine")
    client.force_login(world.establishment_referent)
    page = client.get(url("training_create"))
    assert "<legend" in page.text and "Santé" in page.text and "Sciences &amp; Technologies" in page.text
    assert 'name="high_school"' not in page.text  # not a host high school's referent
    data = {
        "label": "Master Chimie",
        "structure": world.structure.pk,
        "subdomains": [world.subdomain.pk, health.pk],
        "url": "https://example.org/chimie",
        "is_active": "on",
    }
    assert client.post(url("training_create"), data).status_code == 302
    (training,) = trainings(world.site, label="Master Chimie")
    assert training.structure_id == world.structure.pk and training.high_school_id is None
    assert {s.pk for s in training.subdomains.all()} == {world.subdomain.pk, health.pk}


def test_editing_changes_subdomains_and_label(client, world):
    client.force_login(world.master_referent)
    data = {"label": "Licence Info", "structure": world.structure.pk, "is_active": "on"}
    assert client.post(url("training_edit", world.training.pk), data).status_code == 302
    (training,) = trainings(world.site, pk=world.training.pk)
    assert training.label == "Licence Info" and not training.subdomains.all()


@pytest.mark.parametrize("forged", ["host_structure", "other_site_structure", "other_site_subdomain"])
def test_forged_owner_or_subdomain_is_a_form_error(client, world, other_world, forged):
    client.force_login(world.establishment_referent)
    data = {"label": "Forgée", "structure": world.structure.pk, "is_active": "on"}
    if forged == "host_structure":
        data["structure"] = world.host_structure.pk
    elif forged == "other_site_structure":
        data["structure"] = other_world.structure.pk
    else:
        data["subdomains"] = [other_world.subdomain.pk]
    response = client.post(url("training_create"), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not trainings(world.site, label="Forgée")
    with for_site(other_world.site):
        assert not Training.objects.filter(label="Forgée").exists()


def test_a_high_school_owner_cannot_be_slipped_in_by_an_establishment_referent(client, world):
    client.force_login(world.establishment_referent)
    data = {"label": "Forgée", "high_school": world.host_high_school.pk, "is_active": "on"}
    response = client.post(url("training_create"), data)
    assert response.status_code == 400
    assert "Choose either a structure or a host high school." in response.text
    assert not trainings(world.site, label="Forgée")


def test_host_high_school_referent_adds_its_own_bts(client, signed):
    w = signed
    with for_site(w.site):
        other_host = HighSchool.objects.create(
            site=w.site, uai="0670003C", label="Lycée Marie Curie", city="Strasbourg", hosts_post_bac_trainings=True
        )
    client.force_login(w.host_high_school_referent)
    page = client.get(url("training_create"))
    assert 'name="structure"' not in page.text and "Lycée Marie Curie" not in page.text
    forged = {"label": "BTS forgé", "high_school": other_host.pk, "is_active": "on"}
    assert client.post(url("training_create"), forged).status_code == 400
    data = {"label": "BTS CIEL", "high_school": w.host_high_school.pk, "structure": w.structure.pk, "is_active": "on"}
    assert client.post(url("training_create"), data).status_code == 302
    (bts,) = trainings(w.site, label="BTS CIEL")
    assert bts.high_school_id == w.host_high_school.pk and bts.structure_id is None  # the structure was not offered
    assert not trainings(w.site, label="BTS forgé")


def test_each_role_sees_its_own_trainings(client, signed):
    w = signed
    expected = {
        "master_referent": {"Licence Informatique", "Licence Lettres", "Diplôme d'ingénieur", "BTS SIO"},
        "establishment_referent": {"Licence Informatique", "Licence Lettres"},
        "host_referent": {"Diplôme d'ingénieur"},
        "structure_referent": {"Licence Informatique"},
        "consultant": {"Licence Informatique"},
        "host_high_school_referent": {"BTS SIO"},
    }
    every = set().union(*expected.values())
    for role, shown in expected.items():
        client.force_login(getattr(w, role))
        text = client.get(url("training_list"), {"q": ""}).text
        for label in every:
            assert (label.replace("'", "&#x27;") in text) == (label in shown), (role, label)


def test_structure_referent_and_consultant_read_only(client, world):
    for role in ("structure_referent", "consultant"):
        client.force_login(getattr(world, role))
        text = client.get(url("training_list"), {"q": ""}).text
        assert "Licence Informatique" in text
        assert url("training_edit", world.training.pk) not in text
        assert 'id="add-link"' not in text
        data = {"label": "X", "structure": world.structure.pk}
        assert client.post(url("training_create"), data).status_code == 403
        assert client.post(url("training_edit", world.training.pk), data).status_code == 403
    assert trainings(world.site, pk=world.training.pk)[0].label == "Licence Informatique"


def test_training_list_filters(client, world):
    client.force_login(world.master_referent)
    text = client.get(url("training_list"), {"structure": world.other_structure.pk}).text
    assert "Licence Lettres" in text and "Licence Informatique" not in text
    text = client.get(url("training_list"), {"high_school": world.host_high_school.pk}).text
    assert "BTS SIO" in text and "Licence Lettres" not in text
    text = client.get(url("training_list"), {"subdomain": world.subdomain.pk}).text
    assert "Licence Informatique" in text and "BTS SIO" not in text
    text = client.get(url("training_list"), {"q": "lettres", "is_active": "true"}).text
    assert "Licence Lettres" in text and "BTS SIO" not in text
    # a forged filter value shows nothing rather than failing
    assert client.get(url("training_list"), {"structure": "999999"}).status_code == 200


def test_a_training_with_courses_is_deactivated_not_deleted(client, world):
    client.force_login(world.establishment_referent)
    response = client.post(url("training_delete", world.training.pk), follow=True)
    assert "This training has courses" in response.text
    assert client.post(url("training_deactivate", world.training.pk)).status_code == 302
    assert not trainings(world.site, pk=world.training.pk)[0].is_active


def test_an_unused_training_is_deleted(client, world):
    with for_site(world.site):
        unused = Training.objects.create(site=world.site, label="Vide", structure=world.structure)
        unused.subdomains.add(world.subdomain)
    client.force_login(world.establishment_referent)
    assert client.post(url("training_delete", unused.pk)).status_code == 302
    assert not trainings(world.site, pk=unused.pk)


def test_duplicate_label_in_a_structure_is_a_form_error(client, world):
    client.force_login(world.establishment_referent)
    data = {"label": "Licence Lettres", "structure": world.other_structure.pk, "is_active": "on"}
    response = client.post(url("training_create"), data)
    assert response.status_code == 400
    assert "already has a training with this name" in response.text
