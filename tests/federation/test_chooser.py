"""The sign-in chooser offers only what the site enabled; the settings are the master referent's."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.federation import refresh as metadata_refresh
from apps.federation.models import FederationSettings
from apps.tenancy.scoping import for_site

from .conftest import EDUCONNECT_IDP, RENATER_IDP, configure, idp_metadata

pytestmark = pytest.mark.filterwarnings("ignore:.*CFB has been moved.*", "ignore::ResourceWarning")


def methods(client, population, host="testserver"):
    response = client.get("/sign-in/", {"population": population}, HTTP_HOST=host)
    assert response.status_code == 200
    return [method.key for method in response.context["chooser"].methods]


def test_without_settings_only_local_accounts(client, world):
    assert methods(client, "pupil") == ["local"]
    assert methods(client, "student") == []
    assert methods(client, "staff") == ["local"]
    assert methods(client, "visitor") == ["local"]
    response = client.get("/sign-in/", {"population": "student"})
    assert b"offers no way to sign in" in response.content


def test_only_enabled_methods_are_offered(client, world, other_world):
    federation = configure(
        world.site,
        local_pupils_enabled=False,
        educonnect_enabled=True,
        educonnect_metadata_xml=idp_metadata(EDUCONNECT_IDP),
        shibboleth_enabled=True,
        shibboleth_metadata_xml=idp_metadata(RENATER_IDP),
        cas_enabled=True,
        cas_server_url="https://cas.example.org/cas/",
    )
    federation.cas_establishments.add(world.master)
    assert methods(client, "pupil") == ["educonnect"]
    assert methods(client, "student") == ["shibboleth"]
    assert methods(client, "staff") == ["cas", "shibboleth", "local"]
    assert methods(client, "visitor") == ["local"]
    response = client.get("/sign-in/", {"population": "staff"})
    assert world.master.label.encode() in response.content
    # Another site's configuration never applies.
    assert methods(client, "pupil", host="beta.localhost") == ["local"]
    assert methods(client, "staff", host="beta.localhost") == ["local"]


def test_pupil_local_form_links_to_login_and_signup(client, world):
    response = client.get("/sign-in/", {"population": "pupil", "next": "/record/"})
    local = response.context["chooser"].methods[0]
    assert local.url.startswith("/account/") and "next=%2Frecord%2F" in local.url
    assert local.secondary_url


def test_chooser_page_without_or_with_bad_population(client, world):
    response = client.get("/sign-in/", {"population": "hacker", "next": "https://evil.example/"})
    assert response.status_code == 200 and response.context["chooser"] is None
    assert response.context["next"] == ""
    assert response.content.count(b"<h1") == 1
    assert client.post("/sign-in/").status_code == 405


def test_metadata_view_describes_the_site_sp(client, world, settings):
    from .conftest import DATA

    settings.SAML_SP_KEY_FILE, settings.SAML_SP_CERT_FILE = str(DATA / "sp.key"), str(DATA / "sp.crt")
    configure(world.site, educonnect_enabled=True, educonnect_metadata_xml=idp_metadata(EDUCONNECT_IDP))
    response = client.get("/sign-in/saml/metadata/")
    assert response.status_code == 200
    assert b'entityID="http://testserver/sign-in/saml/metadata/"' in response.content
    assert b"http://testserver/sign-in/saml/acs/" in response.content
    assert client.get("/sign-in/saml/metadata/", HTTP_HOST="beta.localhost").status_code == 404


def test_settings_validation(world):
    with for_site(world.site):
        federation = FederationSettings(site=world.site, cas_enabled=True, shibboleth_enabled=True)
        federation.shibboleth_metadata_xml = "<not xml"
        with pytest.raises(Exception) as error:
            federation.full_clean()
    assert {"cas_server_url", "shibboleth_metadata_xml"} <= set(error.value.message_dict)


@pytest.mark.parametrize("who,status", [("master_referent", 200), ("establishment_referent", 403), ("pupil", 403)])
def test_admin_is_for_the_master_referent(client, world, who, status):
    _no_settings(world.site)
    client.force_login(getattr(world, who))
    response = client.get("/admin/federation/federationsettings/add/")
    assert response.status_code in ((200,) if status == 200 else (302, 403))


def test_master_referent_edits_settings_of_own_site_only(client, world, other_world):
    other = configure(other_world.site, cas_enabled=False)
    _no_settings(world.site)
    client.force_login(world.master_referent)
    response = client.post(
        "/admin/federation/federationsettings/add/",
        {
            "local_pupils_enabled": "on",
            "cas_enabled": "on",
            "cas_server_url": "https://cas.example.org/cas/",
            "cas_version": "3",
            "cas_establishments": [world.master.pk],
            **_attribute_defaults(),
        },
    )
    assert response.status_code == 302, response.content[:3000]
    with for_site(world.site):
        assert FederationSettings.objects.get().cas_enabled
    assert client.get(f"/admin/federation/federationsettings/{other.pk}/change/").status_code in (302, 404)
    assert client.get("/admin/federation/federationsettings/add/").status_code == 403  # one per site


def _no_settings(site):
    with for_site(site):
        FederationSettings.objects.filter(site=site).delete()


def _attribute_defaults():
    return {
        field.name: field.default
        for field in FederationSettings._meta.fields
        if field.name.startswith(("shibboleth_attr", "educonnect_attr"))
    }


def test_refresh_metadata_command(world, monkeypatch):
    configure(world.site, shibboleth_metadata_url="https://federation.example/metadata.xml")
    monkeypatch.setattr(metadata_refresh, "fetch", lambda url: idp_metadata(RENATER_IDP))
    call_command("refresh_federation_metadata")
    with for_site(world.site):
        assert RENATER_IDP in FederationSettings.objects.get().shibboleth_metadata_xml
    monkeypatch.setattr(metadata_refresh, "fetch", lambda url: "<html>oops</html>")
    with pytest.raises(CommandError):
        call_command("refresh_federation_metadata", site=world.site.slug)
    with for_site(world.site):
        assert RENATER_IDP in FederationSettings.objects.get().shibboleth_metadata_xml  # kept
