"""Demo site 2, "ImmerSup Lorraine": small, and sealed from site 1 (its own rows, hosts and people)."""

from apps.accounts.models import Role

SITE = {
    "slug": "site2",
    "name": "ImmerSup Lorraine",
    "hosts": ["site2.localhost"],
    "url": "http://site2.localhost:8000",
    "email_domain": "site2.immersup.test",
    "tagline": "Immersions à l'Université de Lorraine",
    "welcome_text": "Suivez un cours de licence à Nancy avant de formuler vos vœux.",
    "footer_text": "Site de démonstration : toutes les données sont fictives.",
    "primary_colour": "#6b2c91",
    "secondary_colour": "#00a19a",
    "contact_email": "contact@site2.immersup.test",
    "sender_email": "no-reply@site2.immersup.test",
}

HIGH_SCHOOL = "0540038Y"

SPEC = {
    "site": SITE,
    "establishments": [
        {
            "code": "UL",
            "uai": "0542493S",
            "label": "Université de Lorraine",
            "is_master": True,
            "address": "34 cours Léopold",
            "zip_code": "54052",
            "city": "Nancy",
            "email": "immersion-ul@site2.immersup.test",
            "website": "https://www.univ-lorraine.fr",
        }
    ],
    "campuses": [
        {
            "establishment": "UL",
            "label": "Campus Aiguillettes",
            "address": "Boulevard des Aiguillettes",
            "zip_code": "54506",
            "city": "Vandœuvre-lès-Nancy",
            "buildings": [("Bâtiment du premier cycle", 48.6657, 6.1608)],
        }
    ],
    "structures": [("UL", "FST", "Faculté des sciences et technologies", "Campus Aiguillettes")],
    "high_schools": [
        {
            "uai": HIGH_SCHOOL,
            "label": "Lycée Henri Poincaré",
            "address": "2 rue de la Visitation",
            "zip_code": "54000",
            "city": "Nancy",
            "agreement": "signed",
        }
    ],
    "trainings": [
        ("structure", "FST", "Licence Informatique", ["Informatique"], ["Programmation impérative", "Systèmes"]),
        ("structure", "FST", "Licence Mathématiques", ["Mathématiques"], ["Calcul différentiel", "Probabilités"]),
        ("structure", "FST", "Licence Physique", ["Physique"], ["Électromagnétisme"]),
    ],
    "events": [],
    "extra_holidays": [],
    "accounts": [
        {
            "key": "master",
            "first_name": "Marie",
            "last_name": "Colin",
            "role": Role.MASTER_REFERENT,
            "try": "admin and validation list of this site; no charter, no document asked here",
        },
        {
            "key": "pupil",
            "first_name": "Tom",
            "last_name": "Gérard",
            "role": Role.PUPIL,
            "try": "validated record (Lycée Henri Poincaré), no document asked: ready to register",
        },
    ],
    "offer": {
        "slots_per_course": 3,
        "weeks": 8,
        "full_rate": 0.0,
        "partly_taken_rate": 0.2,
        "remote_rate": 0.1,
        "restricted_rate": 0.0,
        "group_rate": 0.0,
        "draft_rate": 0.0,
        "filler_pupils": 0,
        "quota_per_person": 4,
    },
    "group_registrations": [],
    "restriction_high_school": None,
    "records": {
        "pupil": {
            "kind": "pupil",
            "status": "validated",
            "age": 15,
            "days": 98,
            "high_school": HIGH_SCHOOL,
            "level": "Seconde",
            "class_name": "2nde 4",
            "bachelor": "general",
            "consents": True,
            "submitted": 15,
            "decided": 14,
        }
    },
    "validators": {},
    "attestation_types": [],
    "documents": {},
    "charter": None,
}
