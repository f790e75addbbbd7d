"""Read side of tenancy: which site does a host name belong to."""

from django.core.cache import cache

from .models import Site, SiteHost

SITE_CACHE_SECONDS = 60
_MISSING = 0


def _cache_key(host):
    return f"tenancy:host:{host}"


def normalise_host(raw_host):
    """Lower-case host without port (IPv6 literals keep their brackets)."""
    host = raw_host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def site_for_host(raw_host):
    """The active site claiming this host, or None. Cached; invalidated on change."""
    host = normalise_host(raw_host)
    key = _cache_key(host)
    site_id = cache.get(key)
    if site_id is None:
        site_id = (
            SiteHost.objects.filter(host=host, site__is_active=True).values_list("site_id", flat=True).first()
            or _MISSING
        )
        cache.set(key, site_id, SITE_CACHE_SECONDS)
    if site_id == _MISSING:
        return None
    site_key = f"tenancy:site:{site_id}"
    site = cache.get(site_key)
    if site is None:
        site = Site.objects.filter(pk=site_id, is_active=True).first()
        if site is None:
            return None
        cache.set(site_key, site, SITE_CACHE_SECONDS)
    return site


def forget_site_cache(site_id=None, hosts=()):
    keys = [_cache_key(normalise_host(h)) for h in hosts]
    if site_id is not None:
        keys.append(f"tenancy:site:{site_id}")
    cache.delete_many(keys)
