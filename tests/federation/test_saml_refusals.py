"""Responses the SP must refuse: nothing is created, the person gets a clear page."""

import pytest
import saml2.time_util

from apps.accounts.models import User
from apps.federation.models import FederatedIdentity
from apps.records.models import PupilRecord
from apps.tenancy.scoping import for_site

from .conftest import EDUCONNECT_IDP, RENATER_IDP, FakeIdP, configure, idp_metadata
from .test_saml_educonnect import pupil
from .test_saml_renater import student

pytestmark = pytest.mark.filterwarnings("ignore:.*CFB has been moved.*", "ignore::ResourceWarning")


def assert_refused(response, client):
    assert response.status_code == 403
    assert response.context["reason"] == "invalid_response"
    assert b"could not be verified" in response.content
    assert not User.objects.filter(first_name__in=["Alice", "Zoé"]).exists()
    assert not FederatedIdentity.objects.exists()
    assert "_auth_user_id" not in client.session


def test_expired_assertion(renater, client, world, monkeypatch):
    request_id = renater.start("shibboleth")
    saml_response = renater.response(student(), in_response_to=request_id)
    real_now = saml2.time_util.utc_now
    monkeypatch.setattr(saml2.time_util, "utc_now", lambda: real_now() + 3600)
    assert_refused(renater.post(saml_response), client)


def test_wrong_audience(renater, client, world):
    request_id = renater.start("shibboleth")
    saml_response = renater.response(student(), in_response_to=request_id, audience="https://other.example/sp")
    assert_refused(renater.post(saml_response), client)


def test_tampered_attribute_breaks_the_signature(educonnect, client, world):
    request_id = educonnect.start("educonnect")
    saml_response = educonnect.response(pupil(), in_response_to=request_id, tamper=(">Martin<", ">Mallory<"))
    response = educonnect.post(saml_response)
    assert response.status_code == 403 and response.context["reason"] == "invalid_response"
    assert not User.objects.filter(last_name__in=["Martin", "Mallory"]).exists()


def test_signed_by_another_key(world, client, saml_settings):
    configure(world.site, shibboleth_enabled=True, shibboleth_metadata_xml=idp_metadata(RENATER_IDP))
    impostor = FakeIdP(client, RENATER_IDP, key="other_idp")
    assert_refused(impostor.sign_in("shibboleth", student()), client)


def test_unsigned_assertion(renater, client, world):
    assert_refused(renater.sign_in("shibboleth", student(), sign=False), client)


def test_unsolicited_and_replayed_responses(renater, client, world):
    saml_response = renater.response(student(), in_response_to="id-never-asked")
    assert_refused(renater.post(saml_response), client)
    request_id = renater.start("shibboleth")
    saml_response = renater.response(student(mail=["x@etu.example.fr"]), in_response_to=request_id)
    assert renater.post(saml_response).status_code == 302
    client.post("/sign-in/student/", {"cancel": "1"})
    assert renater.post(saml_response).status_code == 403  # the same response again


def test_garbage_is_refused_without_error(renater, client, world):
    for junk in ("not base64!", "PHhtbD48L3htbD4=", ""):
        response = renater.post(junk)
        assert response.status_code in (400, 403)
    assert not User.objects.filter(first_name="Alice").exists()


def test_response_for_site_a_posted_on_site_b_is_refused(world, other_world, client, saml_settings):
    metadata = idp_metadata(EDUCONNECT_IDP)
    configure(world.site, educonnect_enabled=True, educonnect_metadata_xml=metadata)
    configure(other_world.site, educonnect_enabled=True, educonnect_metadata_xml=metadata)
    idp_a = FakeIdP(client, EDUCONNECT_IDP)
    request_id = idp_a.start("educonnect")
    saml_response = idp_a.response(pupil(), in_response_to=request_id)
    response = idp_a.post(saml_response, host="beta.localhost")
    assert response.status_code == 403 and response.context["reason"] == "invalid_response"
    # Still valid on site A: only the site it was made for accepts it.
    assert idp_a.post(saml_response).status_code == 302
    with for_site(other_world.site):
        assert not PupilRecord.objects.filter(user__first_name="Zoé").exists()


def test_idp_of_another_federation_of_the_site_is_not_confused(world, client, saml_settings):
    # Only EduConnect is enabled: a RENATER IdP is unknown to this SP.
    configure(world.site, educonnect_enabled=True, educonnect_metadata_xml=idp_metadata(EDUCONNECT_IDP))
    assert client.get("/sign-in/saml/shibboleth/").status_code == 404
    response = client.get("/sign-in/saml/educonnect/", {"idp": RENATER_IDP})
    assert response.status_code == 400 and response.context["reason"] == "unknown_provider"
