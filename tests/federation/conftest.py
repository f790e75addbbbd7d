"""Offline identity providers for the federation tests.

The SAML identity provider is pysaml2's own ``saml2.server.Server``, run in-process with
the test key pair in ``data/``; it reads the site's SP metadata from the metadata view and
signs real responses that the tests post to the ACS with the test client.
"""

import base64
import shutil
import warnings
from pathlib import Path

import pytest
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.authn_context import PASSWORDPROTECTEDTRANSPORT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from apps.federation.models import FederationSettings
from apps.tenancy.scoping import for_site

DATA = Path(__file__).parent / "data"
XMLSEC = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"
RENATER_IDP = "https://idp.univ-example.fr/idp/shibboleth"
EDUCONNECT_IDP = "https://educonnect.education.gouv.fr/idp"

with warnings.catch_warnings():
    # pysaml2's IdP side imports a cipher that cryptography moved (see STACK-NOTES.md).
    warnings.filterwarnings("ignore", message=".*CFB has been moved.*")
    from saml2.server import Server


def idp_config(entity_id, key="idp", sp_metadata=None):
    base = entity_id.rstrip("/")
    conf = {
        "entityid": entity_id,
        "xmlsec_binary": XMLSEC,
        "key_file": str(DATA / f"{key}.key"),
        "cert_file": str(DATA / f"{key}.crt"),
        "delete_tmpfiles": True,
        "service": {
            "idp": {
                "endpoints": {
                    "single_sign_on_service": [
                        (f"{base}/sso", BINDING_HTTP_REDIRECT),
                        (f"{base}/sso/post", BINDING_HTTP_POST),
                    ],
                    "single_logout_service": [(f"{base}/slo", BINDING_HTTP_REDIRECT)],
                },
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "policy": {"default": {"lifetime": {"minutes": 15}, "name_form": NAME_FORMAT_URI}},
            }
        },
    }
    if sp_metadata:
        conf["metadata"] = {"inline": [sp_metadata]}
    config = IdPConfig()
    config.load(conf)
    return config


def idp_metadata(entity_id, key="idp"):
    return str(entity_descriptor(idp_config(entity_id, key)))


class FakeIdP:
    """An identity provider that answers the SP's requests with signed responses."""

    def __init__(self, client, entity_id, key="idp", host="testserver"):
        self.client, self.entity_id, self.host = client, entity_id, host
        sp_metadata = client.get("/sign-in/saml/metadata/", HTTP_HOST=host).content.decode()
        self.server = Server(config=idp_config(entity_id, key, sp_metadata))
        self.sp_entity_id = f"http://{host}/sign-in/saml/metadata/"
        self.acs = f"http://{host}/sign-in/saml/acs/"

    def start(self, provider, host=None, **query):
        """Follow the SP's sign-in link; returns the AuthnRequest's id."""
        response = self.client.get(f"/sign-in/saml/{provider}/", query, HTTP_HOST=host or self.host)
        assert response.status_code == 200, response.content[:500]
        request = self.server.parse_authn_request(response.context["params"]["SAMLRequest"], BINDING_HTTP_POST)
        return request.message.id

    def response(self, identity, *, in_response_to, subject="pid-1", audience=None, sign=True, tamper=None):
        xml = self.server.create_authn_response(
            identity=identity,
            in_response_to=in_response_to,
            destination=self.acs,
            sp_entity_id=audience or self.sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject),
            sign_response=False,
            sign_assertion=sign,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            authn={"class_ref": PASSWORDPROTECTEDTRANSPORT, "authn_auth": self.entity_id},
        )
        xml = str(xml)
        if tamper:
            xml = xml.replace(*tamper)
        return base64.b64encode(xml.encode()).decode()

    def post(self, saml_response, host=None, relay_state=""):
        data = {"SAMLResponse": saml_response}
        if relay_state:
            data["RelayState"] = relay_state
        return self.client.post("/sign-in/saml/acs/", data, HTTP_HOST=host or self.host)

    def sign_in(self, provider, identity, **kwargs):
        request_id = self.start(provider)
        return self.post(self.response(identity, in_response_to=request_id, **kwargs))


@pytest.fixture
def saml_settings(settings):
    settings.SAML_SP_KEY_FILE = str(DATA / "sp.key")
    settings.SAML_SP_CERT_FILE = str(DATA / "sp.crt")
    settings.SAML_CSP_HANDLER = ""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
        "djangosaml2.middleware.SamlSessionMiddleware",
    )
    middleware.append("apps.federation.middleware.EmailGateMiddleware")
    settings.MIDDLEWARE = middleware
    return settings


def configure(site, **fields):
    with for_site(site):
        federation, _ = FederationSettings.objects.update_or_create(site=site, defaults=fields)
    return federation


@pytest.fixture
def renater(world, client, saml_settings):
    configure(world.site, shibboleth_enabled=True, shibboleth_metadata_xml=idp_metadata(RENATER_IDP))
    return FakeIdP(client, RENATER_IDP)


@pytest.fixture
def educonnect(world, client, saml_settings):
    configure(world.site, educonnect_enabled=True, educonnect_metadata_xml=idp_metadata(EDUCONNECT_IDP))
    return FakeIdP(client, EDUCONNECT_IDP)


@pytest.fixture(autouse=True)
def _english_pages(client):
    """These tests read the pages' English source text (the site's default language is French)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
