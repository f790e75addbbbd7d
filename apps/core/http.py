"""The client's address, as every face reads it (rate limits, the action log)."""

import ipaddress

from django.conf import settings


def forwarded_ip(request):
    """The client's address behind a reverse proxy (``BEHIND_PROXY``): the last one the proxy
    added to ``X-Forwarded-For`` (earlier ones are the client's to forge), else the peer's."""
    last = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:  # no proxy in front after all, or a header it did not write
        return request.META.get("REMOTE_ADDR", "")


def client_ip(request) -> str | None:
    """The client's address (behind the proxy when ``BEHIND_PROXY``), or None when not an address."""
    address = forwarded_ip(request) if settings.RATELIMIT_IP_META_KEY else request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
