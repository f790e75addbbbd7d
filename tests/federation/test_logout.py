"""federation:logout ends the identity provider's session where it can, then the local one."""

from urllib.parse import parse_qs

import pytest
from saml2 import BINDING_HTTP_REDIRECT

from apps.federation.middleware import is_exempt

from .test_saml_educonnect import pupil

pytestmark = pytest.mark.filterwarnings("ignore:.*CFB has been moved.*", "ignore::ResourceWarning")


def test_saml_single_logout(educonnect, client, world):
    educonnect.sign_in("educonnect", pupil())
    assert client.session["auth_method"] == "educonnect"
    response = client.post("/sign-in/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://educonnect.education.gouv.fr/idp/slo?SAMLRequest=")
    assert "_auth_user_id" not in client.session
    # The IdP's answer comes back to the logout service.
    query = response["Location"].split("?", 1)[1]
    request = educonnect.server.parse_logout_request(parse_qs(query)["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
    answer = educonnect.server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
    info = educonnect.server.apply_binding(
        BINDING_HTTP_REDIRECT, answer, "http://testserver/sign-in/saml/ls/", "", response=True
    )
    location = dict(info["headers"])["Location"]
    back = client.get(location[location.index("/sign-in/") :])
    assert back.status_code == 302 and back["Location"] == "/"


def test_local_logout(client, world):
    client.force_login(world.visitor)
    session = client.session
    session["auth_method"] = "local"
    session.save()
    response = client.post("/sign-in/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_logout_when_saml_is_gone_is_local(client, world, saml_settings):
    client.force_login(world.pupil)
    session = client.session
    session["auth_method"] = "educonnect"
    session.save()
    response = client.get("/sign-in/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_gate_exempts_static_and_language(educonnect, client, world):
    educonnect.sign_in("educonnect", pupil(mail=None))
    assert is_exempt("/static/css/immersup.css") and is_exempt("/sign-in/logout/") and not is_exempt("/record/")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response["Location"] == "/"
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == "/sign-in/email/"
