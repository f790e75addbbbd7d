"""What the demo sites contain, as plain data. The builders turn it into rows."""

from . import alsace, alsace_offer, alsace_records, lorraine

#: Every demo account's password (documented in the README and printed by ``load_demo``).
DEMO_PASSWORD = "Immersup-demo-2026"

#: Fixed seed: the same database gets the same demo, run after run.
RANDOM_SEED = 2026

#: Sign-in methods of both sites: local accounts only, since no identity provider is reachable.
FEDERATION = {
    "local_pupils_enabled": True,
    "local_students_enabled": True,
    "cas_enabled": False,
    "shibboleth_enabled": False,
    "educonnect_enabled": False,
}

ALSACE = {
    "site": alsace.SITE,
    "establishments": alsace.ESTABLISHMENTS,
    "campuses": alsace.CAMPUSES,
    "structures": alsace.STRUCTURES,
    "high_schools": alsace.HIGH_SCHOOLS,
    "trainings": alsace_offer.TRAININGS,
    "events": alsace_offer.EVENTS,
    "extra_holidays": alsace.EXTRA_HOLIDAYS,
    "accounts": alsace.ACCOUNTS + alsace_records.RECORD_ACCOUNTS,
    "offer": alsace.OFFER,
    "group_registrations": [alsace.PARTNER_HIGH_SCHOOL, alsace.GROUPS_ONLY_HIGH_SCHOOL],
    "restriction_high_school": alsace.PARTNER_HIGH_SCHOOL,
    "records": alsace_records.RECORDS,
    "filler_records": alsace_records.FILLER_RECORDS,
    "filler_hint": alsace_records.FILLER_HINT,
    "level_ages": alsace_records.LEVEL_AGES,
    "validators": alsace_records.VALIDATORS,
    "attestation_types": alsace_records.ATTESTATION_TYPES,
    "documents": alsace_records.DOCUMENTS,
    "charter": alsace_records.CHARTER,
    "federation": FEDERATION,
}

LORRAINE = {**lorraine.SPEC, "federation": FEDERATION}

SPECS = [ALSACE, LORRAINE]
