"""Read side of the charter: who still has to sign before using the back office."""

from dataclasses import dataclass

from apps.organisations.models import Establishment

from .models import Charter, CharterSignature


@dataclass(frozen=True)
class CharterStatus:
    charter: Charter | None
    unsigned_establishment_ids: frozenset
    unsigned_high_school_ids: frozenset

    @property
    def is_satisfied(self):
        return not (self.unsigned_establishment_ids or self.unsigned_high_school_ids)


def current_charter(site):
    return Charter.objects.filter(site=site, published_at__isnull=False).order_by("-published_at").first()


def charter_parties(actor):
    """The host establishments (never the master) and host high schools the actor works for."""
    establishments = set(actor.managed_establishments) | set(actor.legal_establishments)
    establishments |= set(actor.speaker_establishments)
    establishments |= {actor.structure_establishments[s] for s in actor.managed_structures | actor.consulted_structures}
    high_schools = set(actor.host_high_schools) | set(actor.speaker_high_schools)
    return establishments, high_schools


def charter_status(actor, site) -> CharterStatus:
    """Which of the actor's host establishments / high schools have not signed the current charter.

    The master establishment is exempt; with no published charter, nothing is to sign.
    Two queries at most.
    """
    charter = current_charter(site)
    establishments, high_schools = charter_parties(actor)
    if charter is None or actor.is_master or not (establishments or high_schools):
        return CharterStatus(charter, frozenset(), frozenset())
    masters = set(
        Establishment.objects.filter(site=site, is_master=True, pk__in=establishments).values_list("pk", flat=True)
    )
    establishments -= masters
    signed = list(
        CharterSignature.objects.filter(site=site, charter=charter).values_list("establishment_id", "high_school_id")
    )
    signed_establishments = {e for e, _h in signed if e}
    signed_high_schools = {h for _e, h in signed if h}
    return CharterStatus(
        charter,
        frozenset(establishments - signed_establishments),
        frozenset(high_schools - signed_high_schools),
    )
