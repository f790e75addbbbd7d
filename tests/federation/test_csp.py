"""The page policy lets federated sign-in and sign-out reach the identity provider, and nothing else.

Browsers apply ``form-action`` to the redirects that follow a form: the menu's sign-out form
must be allowed to end at the CAS server or SAML identity provider the person signed in with.
"""

import re

import pytest
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT

from apps.federation.csp import PYSAML2_ONLOAD, origin

from .conftest import EDUCONNECT_IDP, FakeIdP, configure, idp_metadata
from .test_cas import SERVER, answer
from .test_cas import cas_site as cas_site
from .test_saml_educonnect import pupil

pytestmark = pytest.mark.filterwarnings("ignore:.*CFB has been moved.*", "ignore::ResourceWarning")
EDUCONNECT = "https://educonnect.education.gouv.fr"


def directives(response):
    return {
        name: sources for name, *sources in (part.split() for part in response["Content-Security-Policy"].split(";"))
    }


def test_saml_post_page_may_post_to_its_identity_provider_only(educonnect, client, world):
    response = client.get("/sign-in/saml/educonnect/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["form-action"] == ["'self'", EDUCONNECT]
    assert policy["script-src"] == ["'self'"]
    html = response.content.decode()
    assert "data-auto-submit" in html and "js/auto-submit.js" in html
    assert not re.search(r"<script>", html)


def test_pages_of_a_saml_session_let_the_sign_out_reach_the_identity_provider(educonnect, client, world):
    assert directives(client.get("/"))["form-action"] == ["'self'"]
    educonnect.sign_in("educonnect", pupil())
    assert directives(client.get("/"))["form-action"] == ["'self'", EDUCONNECT]
    response = client.post("/sign-in/logout/")
    assert response["Location"].startswith(EDUCONNECT + "/idp/slo?")
    assert directives(client.get("/"))["form-action"] == ["'self'"]


def test_pages_of_a_cas_session_let_the_sign_out_reach_the_cas_server(client, world, cas_site):
    with answer("jdoe", {"mail": world.speaker.email}):
        client.get("/sign-in/cas/", {"ticket": "ST-1"})
    assert directives(client.get("/"))["form-action"] == ["'self'", "https://cas.univ-example.fr"]
    assert client.post("/sign-in/logout/")["Location"].startswith(SERVER + "/logout")


def test_a_local_session_keeps_forms_on_the_site(client, world, cas_site):
    client.force_login(world.speaker)
    session = client.session
    session["auth_method"] = "local"
    session.save()
    assert directives(client.get("/"))["form-action"] == ["'self'"]


def test_pysaml2_logout_page_runs_its_one_handler_and_posts_to_the_provider(client, world, saml_settings):
    # An identity provider whose single logout only takes the HTTP-POST binding: pysaml2 writes the page.
    metadata = idp_metadata(EDUCONNECT_IDP)
    redirect_slo = f'Binding="{BINDING_HTTP_REDIRECT}" Location="{EDUCONNECT_IDP}/slo"'
    assert redirect_slo in metadata
    configure(
        world.site,
        educonnect_enabled=True,
        educonnect_metadata_xml=metadata.replace(
            redirect_slo, f'Binding="{BINDING_HTTP_POST}" Location="{EDUCONNECT_IDP}/slo"'
        ),
    )
    FakeIdP(client, EDUCONNECT_IDP).sign_in("educonnect", pupil())

    response = client.post("/sign-in/logout/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<body onload="{PYSAML2_ONLOAD}">' in html
    policy = directives(response)
    assert policy["form-action"] == ["'self'", EDUCONNECT]
    assert policy["script-src"] == [
        "'self'",
        "'unsafe-hashes'",
        "'sha256-ePniVEkSivX/c7XWBGafqh8tSpiRrKiqYeqbG7N1TOE='",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://IdP.example.org:8443/sso?x=1", "https://idp.example.org:8443"),
        ("http://idp.example.org/", "http://idp.example.org"),
        ("https://idp.example.org;script-src *", None),
        ("javascript:alert(1)", None),
        ("/relative/", None),
        ("https://user@idp.example.org/", None),
        ("https://[::1/", None),
    ],
)
def test_only_plain_origins_enter_the_policy(url, expected):
    assert origin(url) == expected
