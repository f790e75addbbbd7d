"""Demo site 1, "ImmerSup Alsace": the full tour, one account per role.

UAIs come from ``data/higher_education_institutions.csv`` and ``data/uai_directory_sample.csv``
(the directory entry is linked when the file has it). Addresses are public; e-mail addresses
are all under the reserved ``.test`` domain.
"""

from apps.accounts.models import Role

SITE = {
    "slug": "demo",
    "name": "ImmerSup Alsace",
    "hosts": ["localhost", "127.0.0.1", "demo.localhost"],
    "url": "http://localhost:8000",
    "email_domain": "demo.immersup.test",
    "tagline": "Découvrir l'enseignement supérieur en Alsace",
    "welcome_text": (
        "Lycéennes et lycéens, venez suivre des cours à l'université, visiter un laboratoire "
        "ou participer à une journée portes ouvertes avant de choisir votre formation."
    ),
    "footer_text": "Site de démonstration : toutes les données sont fictives.",
    "primary_colour": "#1d4e89",
    "secondary_colour": "#f5a623",
    "contact_email": "contact@demo.immersup.test",
    "sender_email": "no-reply@demo.immersup.test",
}

ESTABLISHMENTS = [
    {
        "code": "UNISTRA",
        "uai": "0673021V",
        "label": "Université de Strasbourg",
        "is_master": True,
        "address": "4 rue Blaise Pascal",
        "zip_code": "67081",
        "city": "Strasbourg",
        "email": "immersion-unistra@demo.immersup.test",
        "phone": "03 68 85 00 00",
        "website": "https://www.unistra.fr",
    },
    {
        "code": "UHA",
        "uai": "0681166Y",
        "label": "Université de Haute-Alsace",
        "address": "2 rue des Frères Lumière",
        "zip_code": "68093",
        "city": "Mulhouse",
        "email": "immersion-uha@demo.immersup.test",
        "phone": "03 89 33 60 00",
        "website": "https://www.uha.fr",
    },
    {
        "code": "INSA",
        "uai": "0670190T",
        "label": "INSA Strasbourg",
        "address": "24 boulevard de la Victoire",
        "zip_code": "67084",
        "city": "Strasbourg",
        "email": "immersion-insa@demo.immersup.test",
        "phone": "03 88 14 47 00",
        "website": "https://www.insa-strasbourg.fr",
    },
]

# Buildings: (name, latitude, longitude) for an OpenStreetMap link.
CAMPUSES = [
    {
        "establishment": "UNISTRA",
        "label": "Campus de l'Esplanade",
        "address": "4 rue Blaise Pascal",
        "zip_code": "67000",
        "city": "Strasbourg",
        "buildings": [
            ("Le Patio", 48.5796, 7.7669),
            ("Atrium", 48.5794, 7.7647),
            ("Institut Le Bel", 48.5803, 7.7663),
            ("Bâtiment de mathématiques", 48.5829, 7.7656),
        ],
    },
    {
        "establishment": "UNISTRA",
        "label": "Campus d'Illkirch",
        "address": "300 boulevard Sébastien Brant",
        "zip_code": "67400",
        "city": "Illkirch-Graffenstaden",
        "buildings": [("Pôle API", 48.5278, 7.7360), ("Faculté de pharmacie", 48.5261, 7.7369)],
    },
    {
        "establishment": "UNISTRA",
        "label": "Campus historique",
        "address": "9 place de l'Université",
        "zip_code": "67000",
        "city": "Strasbourg",
        "buildings": [("Palais universitaire", 48.5843, 7.7620)],
    },
    {
        "establishment": "UHA",
        "label": "Campus Illberg",
        "address": "2 rue des Frères Lumière",
        "zip_code": "68093",
        "city": "Mulhouse",
        "buildings": [("IUT — bâtiment A", 47.7325, 7.3112), ("Bâtiment Werner", 47.7314, 7.3097)],
    },
    {
        "establishment": "UHA",
        "label": "Campus Fonderie",
        "address": "16 rue de la Fonderie",
        "zip_code": "68093",
        "city": "Mulhouse",
        "buildings": [("La Fonderie", 47.7428, 7.3302)],
    },
    {
        "establishment": "INSA",
        "label": "Campus INSA",
        "address": "24 boulevard de la Victoire",
        "zip_code": "67084",
        "city": "Strasbourg",
        "buildings": [("Bâtiment principal", 48.5836, 7.7620), ("Halle technologique", 48.5832, 7.7629)],
    },
]

STRUCTURES = [
    ("UNISTRA", "MATHINFO", "UFR de mathématique et d'informatique", "Campus de l'Esplanade"),
    ("UNISTRA", "CHIMIE", "Faculté de chimie", "Campus de l'Esplanade"),
    ("UNISTRA", "SVIE", "Faculté des sciences de la vie", "Campus de l'Esplanade"),
    ("UNISTRA", "LETTRES", "Faculté des lettres et des langues", "Campus historique"),
    ("UNISTRA", "DROIT", "Faculté de droit, de sciences politiques et de gestion", "Campus de l'Esplanade"),
    ("UNISTRA", "PHARMA", "Faculté de pharmacie", "Campus d'Illkirch"),
    ("UHA", "IUTMUL", "IUT de Mulhouse", "Campus Illberg"),
    ("UHA", "FST", "Faculté des sciences et techniques", "Campus Illberg"),
    ("UHA", "FSESJ", "Faculté de sciences économiques, sociales et juridiques", "Campus Fonderie"),
    ("INSA", "ING", "Formations d'ingénieurs", "Campus INSA"),
]

# agreement: "signed" (since last year, open-ended), "year" (this university year only) or None.
HIGH_SCHOOLS = [
    {
        "uai": "0670085D",
        "label": "Lycée polyvalent Louis Couffignal",
        "address": "11 route de la Fédération",
        "zip_code": "67100",
        "city": "Strasbourg",
        "agreement": "signed",
        "hosts_post_bac_trainings": True,
    },
    {
        "uai": "0670080Y",
        "label": "Lycée Kléber",
        "address": "25 place de Bordeaux",
        "zip_code": "67000",
        "city": "Strasbourg",
        "agreement": "signed",
    },
    {
        "uai": "0670083B",
        "label": "Lycée Marie Curie",
        "address": "7 rue de Leicester",
        "zip_code": "67000",
        "city": "Strasbourg",
        "agreement": "year",
        "accepts_individual_immersions": False,
    },
    {
        "uai": "0672604S",
        "label": "Lycée Marc Bloch",
        "address": "Allée Blaise Pascal",
        "zip_code": "67800",
        "city": "Bischheim",
        "agreement": None,
    },
]

HOST_HIGH_SCHOOL = "0670085D"
PARTNER_HIGH_SCHOOL = "0670080Y"
GROUPS_ONLY_HIGH_SCHOOL = "0670083B"
NO_AGREEMENT_HIGH_SCHOOL = "0672604S"


EXTRA_HOLIDAYS = [("Saint-Étienne (Alsace-Moselle)", 12, 26)]

# One account per role. Scopes: establishment code, (establishment, structure) codes, high-school UAI.
# "try": what the account shows of the accounts work (printed under the table, and in the README).
ACCOUNTS = [
    {
        "key": "operator",
        "first_name": "Camille",
        "last_name": "Martin",
        "operator": True,
        "try": "the admin of every site, including each site's sign-in methods",
    },
    {
        "key": "master",
        "first_name": "Sophie",
        "last_name": "Weber",
        "role": Role.MASTER_REFERENT,
        "try": "validation list (3 pupils and the visitor waiting), one possible duplicate, charter in the admin",
    },
    {
        "key": "establishment",
        "first_name": "Lucas",
        "last_name": "Muller",
        "role": Role.ESTABLISHMENT_REFERENT,
        "establishment": "UHA",
        "try": "charter signed; validation list: one pupil waiting (Lycée Marc Bloch, no agreement)",
    },
    {
        "key": "insa",
        "first_name": "Antoine",
        "last_name": "Lorentz",
        "role": Role.ESTABLISHMENT_REFERENT,
        "establishment": "INSA",
        "try": "charter signed for INSA; the same validation list as the UHA referent",
    },
    {
        "key": "structure",
        "first_name": "Julie",
        "last_name": "Schmitt",
        "role": Role.STRUCTURE_REFERENT,
        "structure": ("UNISTRA", "MATHINFO"),
        "try": "staff pages of the UFR, no charter to sign (master establishment)",
    },
    {
        "key": "consultant",
        "first_name": "Thomas",
        "last_name": "Klein",
        "role": Role.STRUCTURE_CONSULTANT,
        "structure": ("UNISTRA", "MATHINFO"),
        "try": "staff pages of the same UFR, read only",
    },
    {
        "key": "speaker",
        "first_name": "Nathalie",
        "last_name": "Meyer",
        "role": Role.SPEAKER,
        "establishment": "UNISTRA",
        "teaches": ["MATHINFO", "CHIMIE"],
        "try": "staff home of a speaker of the master establishment",
    },
    {
        "key": "highschool",
        "first_name": "Pierre",
        "last_name": "Fischer",
        "role": Role.HIGH_SCHOOL_REFERENT,
        "high_school": PARTNER_HIGH_SCHOOL,
        "try": "validation list: one pupil waiting, one rejected (Lycée Kléber)",
    },
    {
        "key": "hosthighschool",
        "first_name": "Isabelle",
        "last_name": "Roth",
        "role": Role.HIGH_SCHOOL_REFERENT,
        "high_school": HOST_HIGH_SCHOOL,
        "try": "the charter page comes first: sign it for Lycée Couffignal",
    },
    {
        "key": "btsspeaker",
        "first_name": "Marc",
        "last_name": "Keller",
        "role": Role.SPEAKER,
        "high_school": HOST_HIGH_SCHOOL,
        "teaches": [HOST_HIGH_SCHOOL],
        "try": "held on the charter page until Lycée Couffignal's referent signs",
    },
    {
        "key": "legal",
        "first_name": "Claire",
        "last_name": "Hoffmann",
        "role": Role.LEGAL_DEPARTMENT,
        "establishment": "UNISTRA",
        "try": "staff home of the legal department",
    },
    {
        "key": "pupil",
        "first_name": "Léa",
        "last_name": "Durand",
        "role": Role.PUPIL,
        "try": (
            "validated record (Lycée Kléber) and both mandatory documents: ready to register; "
            "/my-immersions/ shows upcoming, past (attendance, certificates) and cancelled immersions, "
            "a waiting list, a place offered and a course alert"
        ),
    },
    {
        "key": "student",
        "first_name": "Hugo",
        "last_name": "Bernard",
        "role": Role.STUDENT,
        "try": "validated student record (home institution: Université de Lorraine)",
    },
    {
        "key": "visitor",
        "first_name": "Anne",
        "last_name": "Lefèvre",
        "role": Role.VISITOR,
        "try": "record waiting for the master referent; the insurance certificate is still to send",
    },
]

OFFER = {
    "slots_per_course": 5,
    "weeks": 8,
    "full_rate": 0.08,
    "partly_taken_rate": 0.12,
    "remote_rate": 0.10,
    "restricted_rate": 0.16,
    "group_rate": 0.12,
    "draft_rate": 0.03,
    "filler_pupils": 20,
    "quota_per_person": 6,
}
