"""How people get in and what staff agree to: the sign-in methods and the charter of a site.

The demo keeps to local accounts (no identity provider is reachable from it): local sign-in
for pupils and students on, CAS, RENATER and EduConnect off, brought back on every run.
The charter is published once; the host establishments of the spec have signed it, each by
its referent, and the host high school has not, so that its referent signs it during the demo.
"""

from django.utils import timezone

from apps.accounts.models import Role
from apps.federation.models import FederationSettings
from apps.staff.models import Charter, CharterSignature

from . import ensure


def build_sign_in_methods(site, spec, stats):
    return ensure(stats, FederationSettings, site, {}, dict(spec["federation"]))


def _establishment_referents(people):
    """{establishment code: the demo account that is its referent}."""
    return {
        item["establishment"]: user
        for item, user in people.accounts
        if item.get("role") == Role.ESTABLISHMENT_REFERENT and "establishment" in item
    }


def build_charter(site, spec, stats, orgs, people, warnings):
    """Publish the charter of the spec (if any) and record the signatures of its host establishments."""
    item = spec.get("charter")
    if not item:
        return None
    charter = ensure(
        stats,
        Charter,
        site,
        {"version": item["version"]},
        {"text": item["text"]},
        on_create={"published_at": timezone.now()},
    )
    referents = _establishment_referents(people)
    for code in item.get("signed_by", ()):
        establishment = orgs.establishments.get(code)
        referent = referents.get(code)
        if establishment is None or establishment.is_master or referent is None:
            warnings.append(f"{site.name}: the charter cannot be signed for {code!r} (not a host with a referent).")
            continue
        ensure(
            stats,
            CharterSignature,
            site,
            {"charter": charter, "establishment": establishment},
            on_create={"signed_by": referent},
        )
    return charter
