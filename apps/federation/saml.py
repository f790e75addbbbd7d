"""One SAML service provider per site, built from the site's :class:`FederationSettings`.

djangosaml2 asks :func:`config_loader` (``SAML_CONFIG_LOADER``) for the configuration of
the request's site. The SP's entity ID is ``<scheme>://<primary host>/sign-in/saml/metadata/``;
its key and certificate come from the files named by ``SAML_SP_KEY_FILE`` and
``SAML_SP_CERT_FILE`` (settings, else environment). Identity providers come from the
metadata stored in the database (RENATER and EduConnect), never fetched at request time.
"""

import os
import shutil
import threading
from collections import OrderedDict

import saml2
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.urls import reverse
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from .attribute_maps import aliases, attribute_converters
from .metadata import entity_ids_in
from .models import Provider
from .selectors import federation_settings

_CACHE_SIZE = 16
_cache = OrderedDict()
_lock = threading.Lock()


def _setting(name, default=""):
    return getattr(settings, name, None) or os.environ.get(name, default)


def sp_key_files():
    key_file, cert_file = _setting("SAML_SP_KEY_FILE"), _setting("SAML_SP_CERT_FILE")
    if not key_file or not cert_file:
        raise ImproperlyConfigured("SAML_SP_KEY_FILE and SAML_SP_CERT_FILE must name the SP's key and certificate.")
    return key_file, cert_file


def xmlsec_binary():
    return _setting("SAML_XMLSEC_BINARY") or shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


def site_base_url(site):
    scheme = "https" if settings.HTTPS else "http"
    return f"{scheme}://{site.primary_host}"


def sp_entity_id(site):
    return site_base_url(site) + reverse("federation:saml_metadata")


def enabled_metadata(federation):
    """{provider: metadata XML} of the SAML federations the site enabled."""
    sources = {}
    if federation.shibboleth_enabled and federation.shibboleth_metadata_xml:
        sources[Provider.SHIBBOLETH] = federation.shibboleth_metadata_xml
    if federation.educonnect_enabled and federation.educonnect_metadata_xml:
        sources[Provider.EDUCONNECT] = federation.educonnect_metadata_xml
    return sources


def provider_of(federation, issuer):
    """Which federation an identity provider belongs to on this site, or None."""
    for provider, xml in enabled_metadata(federation).items():
        try:
            if issuer in entity_ids_in(xml):
                return provider
        except ValueError:
            continue
    return None


def build_config(site, federation):
    base = site_base_url(site)
    key_file, cert_file = sp_key_files()
    acs = base + reverse("federation:saml_acs")
    sls = base + reverse("federation:saml_ls")
    conf = {
        "entityid": sp_entity_id(site),
        "xmlsec_binary": xmlsec_binary(),
        "allow_unknown_attributes": True,
        "delete_tmpfiles": True,
        "accepted_time_diff": 60,
        "key_file": key_file,
        "cert_file": cert_file,
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        "metadata": {"inline": list(enabled_metadata(federation).values())},
        "service": {
            "sp": {
                "name": site.name,
                "endpoints": {
                    "assertion_consumer_service": [(acs, saml2.BINDING_HTTP_POST)],
                    "single_logout_service": [(sls, saml2.BINDING_HTTP_REDIRECT), (sls, saml2.BINDING_HTTP_POST)],
                },
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "allow_unsolicited": False,
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                "want_assertions_signed": False,
                "want_response_signed": False,
                "want_assertions_or_response_signed": True,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
            }
        },
    }
    config = SPConfig()
    config.load(conf)
    # EduConnect's attributes come by OID: translated to the friendly names the settings use.
    config.attribute_converters = attribute_converters()
    return config


def config_for_site(site, federation):
    """The SP configuration of a site, cached in-process until its settings change."""
    key = (site.pk, site.primary_host, federation.pk, federation.updated_at, sp_key_files(), settings.HTTPS)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    config = build_config(site, federation)
    with _lock:
        _cache[key] = config
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return config


def config_loader(request):
    """``SAML_CONFIG_LOADER``: the configuration of the request's site (404 if it has no SAML)."""
    site = getattr(request, "site", None)
    federation = federation_settings(site) if site is not None else None
    if federation is None or not enabled_metadata(federation):
        raise Http404
    return config_for_site(site, federation)


def _values(ava, name):
    if name in ava:
        return ava[name]
    lowered = name.lower()
    return next((value for key, value in ava.items() if key.lower() == lowered), [])


def attribute(ava, name):
    """Values of an attribute by its configured name, as a list.

    The name matches exactly, else case-insensitively; a friendly name also finds the
    attribute under its OID and the other way round (see :mod:`.attribute_maps`).
    """
    if not name:
        return []
    values = []
    for alias in aliases(name):
        values = _values(ava, alias)
        if values:
            break
    if isinstance(values, str):
        values = [values]
    return [str(value).strip() for value in values if value is not None and str(value).strip()]


def first(ava, name):
    values = attribute(ava, name)
    return values[0] if values else ""
