"""The CAS client of a site, built per request from its settings (python-cas, as django-cas-ng does)."""

from cas import CASClient
from django.urls import reverse

SESSION_NEXT = "federation_cas_next"


def service_url(request):
    """The URL CAS sends the ticket back to: fixed, so that the ticket validates."""
    return request.build_absolute_uri(reverse("federation:cas_login"))


def client_for(request, federation):
    server_url = federation.cas_server_url
    if not server_url.endswith("/"):
        server_url += "/"
    return CASClient(version=federation.cas_version, server_url=server_url, service_url=service_url(request))


def issuer(federation):
    """The CAS server, as recorded on the identities it vouches for."""
    return federation.cas_server_url.rstrip("/")
