"""Per-site caching of the public offer pages.

Each site has an "offer version" number kept in the cache; every cached fragment's key holds
the site, that version, the language and the day. Changing the offer bumps the version (see
:mod:`.signals`), so every fragment of that site is missed at once and rebuilt on the next
visit; the old entries simply expire. Places counters are updated with ``queryset.update()``
(no signal): fragments showing places live :data:`PLACES_TIMEOUT` seconds, so the places shown
may lag that much — the registration engine decides on POST, never from these pages.

Only public, impersonal fragments are cached (never the personal action panel, nor anything
that depends on who is signed in), so one entry serves every visitor of a site and language.
"""

import hashlib
import time

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

#: Fragments showing places left (the counters change without signals).
PLACES_TIMEOUT = 30
#: Fragments without places (organisations, the offer tree).
OFFER_TIMEOUT = 300

_MISSING = "__missing__"


def _version_key(site_id):
    return f"portal:offer-version:{site_id}"


def offer_version(site_id) -> int:
    """The site's current offer version (created on first use, never expires)."""
    key = _version_key(site_id)
    version = cache.get(key)
    if version is None:
        # A timestamp, not 1: if the entry is evicted, the new version cannot meet old fragments.
        cache.add(key, time.time_ns() // 1000, None)
        version = cache.get(key, 0)
    return version


def bump_offer_version(site_id) -> None:
    key = _version_key(site_id)
    try:
        cache.incr(key)
    except ValueError:  # not there (never read, or evicted)
        cache.set(key, time.time_ns() // 1000, None)


def fragment_key(site_id, name, *parts) -> str:
    raw = "|".join(str(part) for part in parts)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    version, language, day = offer_version(site_id), get_language() or "", timezone.localdate()
    return f"portal:{site_id}:{version}:{language}:{day}:{name}:{digest}"


def cached(site_id, name, parts, build, timeout):
    """``build()`` once per site, offer version, language, day and ``parts``; ``None`` is cached too."""
    key = fragment_key(site_id, name, *parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, _MISSING if value is None else value, timeout)
        return value
    return None if value == _MISSING else value
