"""CAS: staff only, existing accounts only, matched on username or e-mail."""

from unittest import mock
from urllib.parse import parse_qs, urlparse

import cas
import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.federation.models import FederatedIdentity, Provider
from apps.federation.services import link_identity

from .conftest import configure

SERVER = "https://cas.univ-example.fr/cas"


@pytest.fixture
def cas_site(world):
    federation = configure(world.site, cas_enabled=True, cas_server_url=SERVER + "/", cas_version="3")
    federation.cas_establishments.add(world.master)
    return federation


def answer(username, attributes=None):
    return mock.patch.object(cas.CASClientV3, "verify_ticket", return_value=(username, attributes or {}, None))


def test_login_redirects_to_the_site_cas_server_with_a_fixed_service(client, cas_site):
    response = client.get("/sign-in/cas/", {"next": "/staff/"})
    assert response.status_code == 302
    url = urlparse(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == SERVER + "/login"
    assert parse_qs(url.query)["service"] == ["http://testserver/sign-in/cas/"]


def test_known_staff_signs_in_by_email(client, world, cas_site):
    client.get("/sign-in/cas/", {"next": "/staff/"})
    with answer("jdoe", {"mail": world.speaker.email.upper()}):
        response = client.get("/sign-in/cas/", {"ticket": "ST-1"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert int(client.session["_auth_user_id"]) == world.speaker.pk
    assert client.session["auth_method"] == "cas"
    # The username is remembered: next time it is enough.
    client.logout()
    with answer("jdoe"):
        response = client.get("/sign-in/cas/", {"ticket": "ST-2"})
    assert response["Location"] == reverse("accounts:after_sign_in")
    assert int(client.session["_auth_user_id"]) == world.speaker.pk


def test_known_staff_signs_in_by_username(client, world, cas_site):
    link_identity(world.structure_referent, Provider.CAS, SERVER, "sref")
    with answer("sref"):
        response = client.get("/sign-in/cas/", {"ticket": "ST-1"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.structure_referent.pk


def test_username_that_is_an_email_matches(client, world, cas_site):
    with answer(world.master_referent.email.title()):
        client.get("/sign-in/cas/", {"ticket": "ST-1"})
    assert int(client.session["_auth_user_id"]) == world.master_referent.pk


@pytest.mark.parametrize("who", ["unknown", "pupil"])
def test_unknown_or_registrant_is_refused_and_not_created(client, world, cas_site, who):
    email = "nobody@univ-example.fr" if who == "unknown" else world.pupil.email
    users = User.objects.count()
    with answer("nobody", {"mail": email}):
        response = client.get("/sign-in/cas/", {"ticket": "ST-1"})
    assert response.status_code == 403
    assert response.context["reason"] == "no_account"
    assert b"invitation" in response.content
    assert User.objects.count() == users
    assert not FederatedIdentity.objects.exists()
    assert "_auth_user_id" not in client.session


def test_staff_of_another_site_is_refused(client, world, other_world, cas_site):
    with answer("x", {"mail": other_world.speaker.email}):
        response = client.get("/sign-in/cas/", {"ticket": "ST-1"})
    assert response.status_code == 403


def test_rejected_or_odd_ticket(client, world, cas_site):
    with answer(None):
        assert client.get("/sign-in/cas/", {"ticket": "ST-bad"}).status_code == 403
    with mock.patch.object(cas.CASClientV3, "verify_ticket", side_effect=OSError("down")):
        assert client.get("/sign-in/cas/", {"ticket": "ST-1"}).status_code == 403
    assert client.get("/sign-in/cas/", {"ticket": "T" * 1000}).status_code == 403


def test_cas_disabled_gives_404(client, world):
    assert client.get("/sign-in/cas/").status_code == 404
    configure(world.site, cas_enabled=False, cas_server_url=SERVER)
    assert client.get("/sign-in/cas/", {"ticket": "ST-1"}).status_code == 404


def test_cas_of_another_site_does_not_apply(client, world, other_world):
    configure(other_world.site, cas_enabled=True, cas_server_url=SERVER)
    assert client.get("/sign-in/cas/").status_code == 404
    assert client.get("/sign-in/cas/", HTTP_HOST="beta.localhost").status_code == 302


def test_logout_ends_the_cas_session(client, world, cas_site):
    with answer("jdoe", {"mail": world.speaker.email}):
        client.get("/sign-in/cas/", {"ticket": "ST-1"})
    response = client.post("/sign-in/logout/")
    assert response.status_code == 302
    url = urlparse(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == SERVER + "/logout"
    assert parse_qs(url.query)["service"] == ["http://testserver/"]
    assert "_auth_user_id" not in client.session
