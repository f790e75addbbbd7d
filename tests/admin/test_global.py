"""Global rows: sites, host names, national directories."""

import pytest

from apps.directories.models import HigherEducationInstitution, SchoolDirectoryEntry
from apps.tenancy.models import Site, SiteHost

from .helpers import admin_url, form_data, with_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def institution(db):
    return HigherEducationInstitution.objects.create(
        uai="0673021V", label="Université de Strasbourg", city="Strasbourg"
    )


def test_master_referent_sees_their_own_site_only(master_client, alpha, beta):
    response = master_client.get(admin_url(Site))
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [alpha.site]
    assert beta.site.name not in response.content.decode().replace(alpha.site.name, "")
    assert master_client.get(admin_url(Site, "change", beta.site.pk)).status_code == 302


def test_master_referent_sets_up_branding_but_not_identity(master_client, alpha):
    url = admin_url(Site, "change", alpha.site.pk)
    data = form_data(master_client.get(url), Site)
    assert "name" not in data and "slug" not in data and "is_active" not in data

    response = master_client.post(
        url, with_values(data, primary_colour="#123456", tagline="Bienvenue", name="Hijack", is_active="")
    )

    assert response.status_code == 302
    alpha.site.refresh_from_db()
    assert (alpha.site.primary_colour, alpha.site.tagline) == ("#123456", "Bienvenue")
    assert alpha.site.name == "Alpha" and alpha.site.is_active


def test_master_referent_cannot_touch_host_names(master_client, alpha):
    url = admin_url(Site, "change", alpha.site.pk)
    response = master_client.get(url)
    (hosts,) = response.context["inline_admin_formsets"]
    assert not hosts.has_add_permission and not hosts.has_change_permission and not hosts.has_delete_permission
    data = form_data(response, Site)
    data = with_values(
        data, **{"hosts-TOTAL_FORMS": 3, "hosts-2-host": "evil.example.org", "hosts-2-site": alpha.site.pk}
    )
    master_client.post(url, data)
    assert not SiteHost.objects.filter(host="evil.example.org").exists()
    assert master_client.get(admin_url(SiteHost)).status_code == 403


def test_master_referent_cannot_add_or_delete_sites(master_client, alpha):
    assert master_client.get(admin_url(Site, "add")).status_code == 403
    assert master_client.post(admin_url(Site, "delete", alpha.site.pk), {"post": "yes"}).status_code == 403
    assert Site.objects.filter(pk=alpha.site.pk).exists()


def test_invalid_branding_is_a_form_error(master_client, alpha):
    url = admin_url(Site, "change", alpha.site.pk)
    response = master_client.post(url, with_values(form_data(master_client.get(url), Site), primary_colour="red"))
    assert response.status_code == 200
    assert "primary_colour" in response.context["adminform"].form.errors


def test_operator_sees_and_edits_every_site(operator_client, alpha, beta):
    response = operator_client.get(admin_url(Site))
    assert set(response.context["cl"].queryset) == {alpha.site, beta.site}
    url = admin_url(Site, "change", beta.site.pk)
    data = form_data(operator_client.get(url), Site)
    response = operator_client.post(url, with_values(data, name="Beta renamed"))
    assert response.status_code == 302
    beta.site.refresh_from_db()
    assert beta.site.name == "Beta renamed"
    assert operator_client.get(admin_url(SiteHost)).status_code == 200


def test_two_primary_host_names_are_a_form_error(operator_client, alpha):
    url = admin_url(Site, "change", alpha.site.pk)
    data = form_data(operator_client.get(url), Site)
    total = int(data["hosts-TOTAL_FORMS"][0])
    data = with_values(data, **{f"hosts-{i}-is_primary": "on" for i in range(total)})
    response = operator_client.post(url, data)
    assert response.status_code == 200
    assert SiteHost.objects.filter(site=alpha.site, is_primary=True).count() == 1


def test_a_host_name_of_another_site_is_a_form_error(operator_client, alpha, beta):
    url = admin_url(Site, "change", alpha.site.pk)
    data = form_data(operator_client.get(url), Site)
    total = int(data["hosts-TOTAL_FORMS"][0])
    data = with_values(data, **{"hosts-TOTAL_FORMS": total + 1, f"hosts-{total}-host": "BETA.localhost"})
    response = operator_client.post(url, data)
    assert response.status_code == 200
    assert SiteHost.objects.get(host="beta.localhost").site == beta.site


@pytest.mark.parametrize("model", [HigherEducationInstitution, SchoolDirectoryEntry])
def test_directories_are_read_only_for_master_referents(master_client, model):
    assert master_client.get(admin_url(model)).status_code == 200
    assert master_client.get(admin_url(model, "add")).status_code == 403


def test_directory_entry_cannot_be_changed_by_a_master_referent(master_client, institution):
    url = admin_url(HigherEducationInstitution, "change", institution.pk)
    assert master_client.get(url).status_code == 200  # view only
    response = master_client.post(url, {"uai": "0673021V", "label": "Renamed", "country": "France"})
    assert response.status_code == 403
    assert (
        master_client.post(admin_url(HigherEducationInstitution, "delete", institution.pk), {"post": "yes"}).status_code
        == 403
    )
    institution.refresh_from_db()
    assert institution.label == "Université de Strasbourg"


def test_operator_maintains_the_directories(operator_client, institution):
    url = admin_url(HigherEducationInstitution, "change", institution.pk)
    data = form_data(operator_client.get(url), HigherEducationInstitution)
    assert operator_client.post(url, with_values(data, label="Unistra")).status_code == 302
    institution.refresh_from_db()
    assert institution.label == "Unistra"


def test_directory_autocomplete_from_an_establishment(master_client, institution):
    response = master_client.get(
        "/admin/autocomplete/",
        {"app_label": "organisations", "model_name": "establishment", "field_name": "institution", "term": "Stras"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(institution.pk)]
