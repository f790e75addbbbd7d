"""What the demo sites contain, as plain data. The builders turn it into rows."""

from . import alsace, alsace_offer, lorraine

#: Every demo account's password (documented in the README and printed by ``load_demo``).
DEMO_PASSWORD = "Immersup-demo-2026"

#: Fixed seed: the same database gets the same demo, run after run.
RANDOM_SEED = 2026

ALSACE = {
    "site": alsace.SITE,
    "establishments": alsace.ESTABLISHMENTS,
    "campuses": alsace.CAMPUSES,
    "structures": alsace.STRUCTURES,
    "high_schools": alsace.HIGH_SCHOOLS,
    "trainings": alsace_offer.TRAININGS,
    "events": alsace_offer.EVENTS,
    "extra_holidays": alsace.EXTRA_HOLIDAYS,
    "accounts": alsace.ACCOUNTS,
    "offer": alsace.OFFER,
    "group_registrations": [alsace.PARTNER_HIGH_SCHOOL, alsace.GROUPS_ONLY_HIGH_SCHOOL],
    "restriction_high_school": alsace.PARTNER_HIGH_SCHOOL,
}

LORRAINE = lorraine.SPEC

SPECS = [ALSACE, LORRAINE]
