"""Demo site 1, the accounts work: records in every status, a possible duplicate, documents, the charter.

Birth dates are ``age`` years and ``days`` days before the day of the first run; ``submitted``
and ``decided`` are how many days ago the record was sent and validated (or rejected).
High schools are UAIs (see :mod:`.alsace`); levels, baccalaureates, series and specialities
are the labels (series: the code) of the site's reference data.
"""

from apps.accounts.models import Role

from .alsace import HOST_HIGH_SCHOOL, NO_AGREEMENT_HIGH_SCHOOL, PARTNER_HIGH_SCHOOL

KLEBER = PARTNER_HIGH_SCHOOL
COUFFIGNAL = HOST_HIGH_SCHOOL
MARIE_CURIE = "0670083B"
MARC_BLOCH = NO_AGREEMENT_HIGH_SCHOOL

MATHS = "Mathématiques"
NSI = "Numérique et sciences informatiques"
PHYSICS = "Physique-chimie"
SVT = "Sciences de la vie et de la Terre"
SES = "Sciences économiques et sociales"
HGGSP = "Histoire-géographie, géopolitique et sciences politiques"
HLP = "Humanités, littérature et philosophie"
LLCER = "Langues, littératures et cultures étrangères et régionales"

DUPLICATE_HINT = "the same pupil twice (one pair in the master referent's possible duplicates)"

#: More pupils, each showing one case of the validation work.
RECORD_ACCOUNTS = [
    {
        "key": "pending.kleber",
        "first_name": "Maëlle",
        "last_name": "Richert",
        "role": Role.PUPIL,
        "note": "record to validate, Lycée Kléber",
        "try": "record waiting for Lycée Kléber's referent",
    },
    {
        "key": "pending.bloch",
        "first_name": "Théo",
        "last_name": "Kuntz",
        "role": Role.PUPIL,
        "note": "record to validate, Lycée Marc Bloch (no agreement)",
        "try": "record waiting for a host-establishment referent (high school without agreement)",
    },
    {
        "key": "rejected",
        "first_name": "Enzo",
        "last_name": "Lutz",
        "role": Role.PUPIL,
        "note": "rejected record, Lycée Kléber",
        "try": "rejected record with its reason: correct it and send it again",
    },
    {
        "key": "elodie.martin",
        "first_name": "Élodie",
        "last_name": "Martin",
        "role": Role.PUPIL,
        "note": "possible duplicate (1/2)",
        "try": DUPLICATE_HINT,
    },
    {
        "key": "elodie.m67",
        "first_name": "elodie",
        "last_name": "MARTIN",
        "role": Role.PUPIL,
        "note": "possible duplicate (2/2)",
        "try": DUPLICATE_HINT,
    },
]

FILLER_HINT = "validated records; pupil01@ still lacks the parental authorisation"

#: Who validated the records of each high school (account keys); "master" for the others.
VALIDATORS = {KLEBER: "highschool", COUFFIGNAL: "hosthighschool", MARC_BLOCH: "establishment"}

_DUPLICATE = {
    "kind": "pupil",
    "age": 16,
    "days": 201,
    "high_school": MARIE_CURIE,
    "level": "Première",
    "class_name": "1re 2",
    "bachelor": "general",
    "specialities": [SES, HGGSP, LLCER],
}

RECORDS = {
    "pupil": {
        "kind": "pupil",
        "status": "validated",
        "age": 16,
        "days": 73,
        "phone": "06 12 34 56 78",
        "high_school": KLEBER,
        "level": "Première",
        "class_name": "1re 4",
        "bachelor": "general",
        "specialities": [MATHS, NSI, PHYSICS],
        "consents": True,
        "submitted": 30,
        "decided": 28,
    },
    "student": {
        "kind": "student",
        "status": "validated",
        "age": 20,
        "days": 120,
        "phone": "07 61 42 18 90",
        "institution": "0542493S",
        "level": "Licence 2",
        "bachelor": "general",
        "submitted": 21,
    },
    "visitor": {
        "kind": "visitor",
        "status": "to_validate",
        "age": 44,
        "days": 35,
        "phone": "03 88 52 14 70",
        "visitor_type": "Enseignant·e",
        "motivation": (
            "Professeure de SVT en lycée, je souhaite découvrir les travaux pratiques de licence "
            "pour mieux conseiller mes élèves dans leur orientation."
        ),
        "submitted": 3,
    },
    "pending.kleber": {
        "kind": "pupil",
        "status": "to_validate",
        "age": 15,
        "days": 150,
        "high_school": KLEBER,
        "level": "Seconde",
        "class_name": "2nde 6",
        "bachelor": "general",
        "consents": True,
        "submitted": 2,
    },
    "pending.bloch": {
        "kind": "pupil",
        "status": "to_validate",
        "age": 17,
        "days": 12,
        "high_school": MARC_BLOCH,
        "level": "Terminale",
        "class_name": "Tle STI2D",
        "bachelor": "technological",
        "series": "STI2D",
        "submitted": 4,
    },
    "rejected": {
        "kind": "pupil",
        "status": "rejected",
        "age": 16,
        "days": 260,
        "high_school": KLEBER,
        "level": "Seconde",
        "class_name": "2nde 1",
        "bachelor": "general",
        "submitted": 9,
        "decided": 6,
        "reason": (
            "La classe indiquée ne correspond pas à nos listes : vérifiez votre niveau et votre classe, "
            "puis enregistrez de nouveau votre dossier."
        ),
    },
    "elodie.martin": {**_DUPLICATE, "status": "validated", "submitted": 40, "decided": 38},
    "elodie.m67": {**_DUPLICATE, "status": "to_validate", "class_name": "1ère 2", "submitted": 1},
}

#: Records of the filler pupils (pupil01, pupil02...), taken in turn: every level, every high school.
#: (high school, level, class, baccalaureate, specialities or series or post-bac level)
FILLER_RECORDS = [
    (KLEBER, "Seconde", "2nde 3", "general", None),
    (KLEBER, "Première", "1re 1", "general", [MATHS, PHYSICS, SVT]),
    (MARIE_CURIE, "Terminale", "Tle 5", "general", [MATHS, NSI]),
    (COUFFIGNAL, "Terminale", "Tle STI2D 1", "technological", "STI2D"),
    (MARC_BLOCH, "Première", "1re STMG", "technological", "STMG"),
    (MARIE_CURIE, "Seconde", "2nde 2", "general", None),
    (KLEBER, "Terminale", "Tle 2", "general", [SES, HGGSP]),
    (COUFFIGNAL, "Post-bac", "BTS SIO 1", "technological", ("STI2D", "BTS 1")),
    (MARC_BLOCH, "Terminale", "Tle 1", "general", [MATHS, SES]),
    (MARIE_CURIE, "Première", "1re 6", "general", [HLP, LLCER, SES]),
]
#: Age of a pupil by level.
LEVEL_AGES = {"Seconde": 15, "Première": 16, "Terminale": 17, "Post-bac": 19}

ATTESTATION_TYPES = [
    {
        "label": "Autorisation parentale",
        "description": (
            "Autorisation signée par un parent ou un représentant légal pour participer aux immersions. "
            "Demandée aux mineurs uniquement."
        ),
        "for_pupils_with_agreement": True,
        "for_pupils_without_agreement": True,
        "minors_only": True,
        "mandatory": True,
        "position": 1,
    },
    {
        "label": "Attestation d'assurance responsabilité civile",
        "description": "Attestation en cours de validité, couvrant les activités extrascolaires.",
        "for_pupils_with_agreement": True,
        "for_pupils_without_agreement": True,
        "for_visitors": True,
        "mandatory": True,
        "requires_validity_date": True,
        "position": 2,
    },
    {
        "label": "Certificat de scolarité",
        "description": "Pour les élèves d'un lycée sans convention avec l'université : facultatif mais utile.",
        "for_pupils_without_agreement": True,
        "mandatory": False,
        "position": 3,
    },
]

#: Every demo pupil sends the mandatory documents they need (valid until the end of the
#: university year), except these; ``optional`` ones are sent too.
DOCUMENTS = {
    "missing": {"pupil01": ["Autorisation parentale"]},
    "optional": {"pending.bloch": ["Certificat de scolarité"]},
}

CHARTER = {
    "version": "2026-1",
    "text": (
        "Charte des immersions\n\n"
        "1. L'établissement ou le lycée d'accueil propose des créneaux adaptés à des lycéennes et "
        "lycéens et en précise les conditions (lieu, horaires, places).\n"
        "2. Les intervenantes et intervenants accueillent les élèves avec bienveillance et les "
        "encadrent pendant toute la durée de l'immersion.\n"
        "3. Les présences sont renseignées après chaque créneau ; toute annulation est signalée au "
        "plus tôt aux inscrits.\n"
        "4. Les données personnelles des élèves ne servent qu'à l'organisation des immersions et "
        "ne sont communiquées à personne d'autre."
    ),
    # Host establishments that signed it, each by its referent (the demo's host high school did not).
    "signed_by": ["UHA", "INSA"],
}
