"""The page policy (django-csp) and federated sign-in: where a form may take the person.

The policy lets forms send their data to the site itself only (``form-action 'self'``), and
browsers apply that to the redirects that follow a form as well. Two federated steps leave
the site from a form:

* signing out: the menu's form posts to ``federation:logout``, which redirects to the CAS
  server or to the SAML identity provider the person signed in with. :class:`CSPMiddleware`
  adds that server's origin to the policy of the pages of a federated session, and only
  that one;
* the SAML HTTP-POST binding: a page posts the request (or the logout message) to the
  identity provider by itself. :func:`allow_identity_provider_post` lets that one page post
  to the origin its form names, and lets pysaml2's own page (``<body onload=...>``) run its
  one, constant, submit handler, allowed by its hash.

Only HTML responses carry the page policy: downloads set their own (``default-src 'none';
sandbox``), and a page policy on a PDF would stop the browser's PDF viewer.
"""

import base64
import hashlib
import re
from functools import cache, wraps
from html import unescape
from urllib.parse import urlsplit

import csp.middleware
from django.http import Http404
from django.template.loader import get_template
from saml2.s_utils import SamlException

from apps.tenancy.scoping import for_site

from . import saml, selectors
from .models import SESSION_AUTH_METHOD, Provider

FEDERATED = {Provider.CAS, Provider.SHIBBOLETH, Provider.EDUCONNECT}
_FORM_ACTION = re.compile(r"<form\b[^>]*?\baction=\"([^\"]+)\"", re.IGNORECASE)
_STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?")
#: pysaml2's HTTP-POST binding page (saml2.pack.HTML_FORM_SPEC) submits itself with this handler.
PYSAML2_ONLOAD = "document.forms[0].submit()"
#: Pages rendered without a request (no nonce): their constant inline styles are allowed by hash.
STANDALONE_ERROR_PAGES = ("500.html", "tenancy/unknown_site.html")


def _hash_source(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def origin(url):
    """``scheme://host[:port]`` of an absolute http(s) URL, or None (nothing else enters the policy)."""
    try:
        parts = urlsplit(unescape(url).strip())
    except ValueError:
        return None
    if parts.scheme not in ("https", "http") or not _HOST.fullmatch(parts.netloc or ""):
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_html(response):
    return response.get("Content-Type", "").split(";")[0].strip().lower() == "text/html"


def _add(response, directive, sources):
    """Add sources to one directive of the response's policy, enforced and report-only alike."""
    for attribute in ("_csp_update", "_csp_update_ro"):
        update = dict(getattr(response, attribute, None) or {})
        current = update.get(directive) or []
        update[directive] = [*([current] if isinstance(current, str) else current), *sources]
        setattr(response, attribute, update)


def allow_identity_provider_post(view):
    """For the views that may answer with a page posting to the identity provider (HTTP-POST binding)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        response = view(*args, **kwargs)
        if response.status_code != 200 or getattr(response, "streaming", False) or not is_html(response):
            return response
        content = response.content.decode(response.charset or "utf-8", errors="replace")
        origins = sorted({o for o in map(origin, _FORM_ACTION.findall(content)) if o})
        if origins:
            _add(response, "form-action", origins)
        if f'<body onload="{PYSAML2_ONLOAD}">' in content:
            _add(response, "script-src", ["'unsafe-hashes'", _hash_source(PYSAML2_ONLOAD)])
        return response

    return wrapper


@cache
def standalone_error_page_styles():
    """Hashes of the ``<style>`` elements of the error pages rendered without a request."""
    hashes = []
    for name in STANDALONE_ERROR_PAGES:
        source = get_template(name).template.source
        hashes.extend(_hash_source(style) for style in _STYLE_ELEMENT.findall(source))
    return hashes


def _saml_sign_out_origins(request):
    from djangosaml2.cache import IdentityCache
    from djangosaml2.views import _get_subject_id

    try:
        conf = saml.config_loader(request)
    except Http404:
        return []
    saml_session = getattr(request, "saml_session", request.session)
    subject_id = _get_subject_id(saml_session)
    if subject_id is None:
        return []
    try:
        entity_ids = IdentityCache(saml_session).entities(subject_id)
    except KeyError:
        return []
    origins = set()
    for entity_id in entity_ids:
        try:
            services = conf.metadata.service(entity_id, "idpsso_descriptor", "single_logout_service") or {}
        except (SamlException, KeyError):  # an identity provider no longer in the metadata
            services = {}
        origins.update(origin(service["location"]) for endpoints in services.values() for service in endpoints)
    return sorted(o for o in origins if o)


def sign_out_origins(request):
    """Origins the sign-out of the request's (federated) session redirects to; [] for the others."""
    session = getattr(request, "session", None)
    method = session.get(SESSION_AUTH_METHOD) if session is not None else None
    if method not in FEDERATED or getattr(request, "site", None) is None:
        return []
    # The response passes this middleware after the site's scope has closed (see SiteMiddleware).
    with for_site(request.site):
        if method != Provider.CAS:
            return _saml_sign_out_origins(request)
        federation = selectors.federation_settings(request.site)
    if not selectors.cas_available(federation):
        return []
    cas_origin = origin(federation.cas_server_url)
    return [cas_origin] if cas_origin else []


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, for HTML pages only, with the per-request additions above."""

    def process_response(self, request, response):
        if not is_html(response):
            response._csp_exempt = response._csp_exempt_ro = True
            return super().process_response(request, response)
        origins = sign_out_origins(request)
        if origins:
            _add(response, "form-action", origins)
        if response.status_code >= 400:
            _add(response, "style-src", standalone_error_page_styles())
        return super().process_response(request, response)
