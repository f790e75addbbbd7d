"""The business rules of apps.organisations.services, called directly."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.accounts.policy import actor_for
from apps.catalogue.models import Training
from apps.organisations import selectors, services
from apps.organisations.models import Establishment, HighSchool, Structure


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_new_establishment_is_a_host_one_in_the_callers_site(in_site):
    w = in_site
    created = services.create_establishment(w.site, code="NEW", label="Nouvelle")
    assert created.site_id == w.site.pk and not created.is_master


def test_rows_of_another_site_are_refused(in_site, other_world):
    with pytest.raises(ValidationError, match="another site"):
        services.update_structure(in_site.site, other_world.structure, label="Piratée")


def test_a_structure_cannot_point_into_another_site(in_site, other_world):
    with pytest.raises(ValidationError):
        services.create_structure(in_site.site, establishment=other_world.master, code="X", label="X")
    assert not Structure.objects.filter(code="X").exists()


def test_master_flag_rules(in_site):
    w = in_site
    with pytest.raises(ValidationError, match="keeps its flag"):
        services.update_establishment(w.site, Establishment.objects.get(pk=w.master.pk), is_master=False)
    with pytest.raises(ValidationError, match="already has a master"):
        services.update_establishment(w.site, Establishment.objects.get(pk=w.host.pk), is_master=True)
    with pytest.raises(ValidationError, match="cannot be deactivated"):
        services.deactivate_establishment(w.site, w.master)
    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.delete_establishment(w.site, w.master)
    assert Establishment.objects.filter(is_master=True).count() == 1


def test_agreement_rules(in_site):
    with pytest.raises(ValidationError, match="needs a start"):
        services.create_high_school(
            in_site.site, uai="0680001A", label="L", city="C", agreement_end=dt.date(2026, 1, 1)
        )
    with pytest.raises(ValidationError, match="cannot end before"):
        services.create_high_school(
            in_site.site,
            uai="0680001A",
            label="L",
            city="C",
            agreement_start=dt.date(2026, 1, 2),
            agreement_end=dt.date(2026, 1, 1),
        )
    assert not HighSchool.objects.filter(uai="0680001A").exists()


def test_a_training_has_exactly_one_owner(in_site):
    w = in_site
    with pytest.raises(ValidationError, match="not both"):
        services.create_training(w.site, label="Double", structure=w.structure, high_school=w.host_high_school)
    with pytest.raises(ValidationError, match="does not host"):
        services.create_training(w.site, label="Lycée", high_school=w.high_school)
    assert not Training.objects.filter(label__in=["Double", "Lycée"]).exists()


def test_subdomains_of_another_site_roll_everything_back(in_site, other_world):
    w = in_site
    with pytest.raises(ValidationError):
        services.create_training(w.site, label="Atomique", structure=w.structure, subdomains=[other_world.subdomain])
    assert not Training.objects.filter(label="Atomique").exists()


def test_in_use_rows_are_kept(in_site):
    w = in_site
    for delete, row in (
        (services.delete_structure, w.structure),
        (services.delete_campus, w.campus),
        (services.delete_building, w.building),
        (services.delete_training, w.training),
        (services.delete_establishment, w.host),
    ):
        with pytest.raises(ValidationError, match="instead"):
            delete(w.site, row)
        assert type(row).objects.filter(pk=row.pk).exists()


def test_scope_choices(in_site):
    w = in_site
    referent = actor_for(w.establishment_referent, w.site)
    assert set(selectors.establishments_for(referent, w.site)) == {w.master}
    assert w.host_structure not in set(selectors.structures_for_trainings(referent, w.site))
    host_hs = actor_for(w.host_high_school_referent, w.site)
    assert list(selectors.host_high_schools_for(host_hs, w.site)) == [w.host_high_school]
    assert not selectors.structures_for_trainings(host_hs, w.site).exists()
    consultant = actor_for(w.consultant, w.site)
    assert set(selectors.training_list(consultant, w.site)) == {w.training}
