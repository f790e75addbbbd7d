"""Demo site 1, the offer: trainings with their courses, and events with their slots."""

from .alsace import HOST_HIGH_SCHOOL, PARTNER_HIGH_SCHOOL

# Trainings: owner (structure code or high-school UAI), label, subdomains, courses.
_S = "structure"
_H = "high_school"
TRAININGS = [
    (
        _S,
        "MATHINFO",
        "Licence Informatique",
        ["Informatique"],
        ["Algorithmique et programmation", "Architecture des ordinateurs"],
    ),
    (_S, "MATHINFO", "Licence Mathématiques", ["Mathématiques"], ["Analyse : suites et fonctions", "Algèbre linéaire"]),
    (
        _S,
        "MATHINFO",
        "Licence Mathématiques et informatique",
        ["Mathématiques", "Informatique"],
        ["Logique et preuves", "Bases de données"],
    ),
    (_S, "CHIMIE", "Licence Chimie", ["Chimie"], ["Chimie organique", "Atomes et molécules"]),
    (_S, "CHIMIE", "Licence Physique-chimie", ["Physique", "Chimie"], ["Thermodynamique", "Spectroscopie"]),
    (_S, "SVIE", "Licence Sciences de la vie", ["Sciences de la vie"], ["Biologie cellulaire", "Génétique"]),
    (_S, "SVIE", "Licence Sciences de la Terre", ["Sciences de la Terre"], ["Géologie du fossé rhénan", "Géophysique"]),
    (_S, "LETTRES", "Licence Lettres modernes", ["Lettres"], ["Le roman au XIXe siècle", "Grammaire et stylistique"]),
    (
        _S,
        "LETTRES",
        "Licence LLCER allemand",
        ["LLCER - Langues, littératures et civilisations étrangères et régionales"],
        ["Civilisation des pays germanophones", "Traduction"],
    ),
    (
        _S,
        "LETTRES",
        "Licence LEA anglais-allemand",
        ["LEA - Langues étrangères appliquées"],
        ["Commerce international", "Anglais des affaires"],
    ),
    (_S, "LETTRES", "Licence Arts du spectacle", ["Arts du spectacle"], ["Histoire du théâtre", "Analyse de films"]),
    (_S, "LETTRES", "Licence Philosophie", ["Philosophie"], ["Introduction à la philosophie", "Éthique"]),
    (_S, "DROIT", "Licence Droit", ["Droit"], ["Introduction au droit", "Droit constitutionnel"]),
    (_S, "DROIT", "Licence Économie et gestion", ["Économie", "Gestion"], ["Microéconomie", "Comptabilité"]),
    (
        _S,
        "DROIT",
        "Licence Administration économique et sociale",
        ["Administration économique et sociale"],
        ["Sociologie des organisations", "Droit du travail"],
    ),
    (
        _S,
        "DROIT",
        "Licence Science politique",
        ["Science politique"],
        ["Institutions européennes", "Sociologie politique"],
    ),
    (
        _S,
        "PHARMA",
        "PASS — Parcours d'accès spécifique santé",
        ["Médecine, pharmacie, odontologie, maïeutique (PASS/L.AS)"],
        ["Biochimie", "Anatomie"],
    ),
    (
        _S,
        "PHARMA",
        "Licence Sciences pour la santé",
        ["Médecine, pharmacie, odontologie, maïeutique (PASS/L.AS)", "Sciences de la vie"],
        ["Pharmacologie", "Santé publique"],
    ),
    (
        _S,
        "IUTMUL",
        "BUT Génie électrique et informatique industrielle",
        ["Électronique, énergie électrique, automatique"],
        ["Électronique", "Automatismes"],
    ),
    (_S, "IUTMUL", "BUT Génie mécanique et productique", ["Mécanique"], ["Conception mécanique", "Fabrication"]),
    (_S, "IUTMUL", "BUT Informatique", ["Informatique"], ["Développement web", "Réseaux"]),
    (
        _S,
        "IUTMUL",
        "BUT Gestion des entreprises et des administrations",
        ["Gestion"],
        ["Marketing", "Gestion financière"],
    ),
    (_S, "FST", "Licence Chimie", ["Chimie"], ["Chimie des matériaux", "Chimie analytique"]),
    (_S, "FST", "Licence Physique", ["Physique"], ["Mécanique du point", "Optique"]),
    (_S, "FSESJ", "Licence Droit", ["Droit"], ["Droit civil", "Histoire du droit"]),
    (_S, "FSESJ", "Licence Économie-gestion", ["Économie", "Gestion"], ["Macroéconomie", "Statistiques"]),
    (_S, "ING", "Ingénieur génie civil", ["Mécanique"], ["Résistance des matériaux", "Béton armé"]),
    (
        _S,
        "ING",
        "Ingénieur mécatronique",
        ["Électronique, énergie électrique, automatique", "Mécanique"],
        ["Robotique", "Systèmes embarqués"],
    ),
    (_S, "ING", "Architecte", ["Arts visuels"], ["Atelier de projet", "Histoire de l'architecture"]),
    (
        _H,
        HOST_HIGH_SCHOOL,
        "BTS Services informatiques aux organisations",
        ["Informatique"],
        ["Réseaux et cybersécurité", "Développement d'applications"],
    ),
]

# Events; a slot's "day" is an index into the coming open weekdays (holidays and vacations skipped).
EVENTS = [
    {
        "type": "Journée portes ouvertes",
        "label": "Journée portes ouvertes de l'Université de Strasbourg",
        "establishment": "UNISTRA",
        "description": "Rencontrez les équipes pédagogiques et les étudiants de toutes les facultés.",
        "slots": [
            {
                "day": 9,
                "start": 9,
                "end": 17,
                "campus": "Campus de l'Esplanade",
                "building": "Le Patio",
                "places": 200,
                "group_places": 60,
            },
            {
                "day": 30,
                "start": 9,
                "end": 17,
                "campus": "Campus de l'Esplanade",
                "building": "Le Patio",
                "places": 200,
                "group_places": 60,
            },
        ],
    },
    {
        "type": "Visite de laboratoire",
        "label": "Visite du laboratoire de chimie",
        "establishment": "UNISTRA",
        "structure": "CHIMIE",
        "description": "Une après-midi au milieu des chercheurs : spectromètres, synthèse et sécurité.",
        "slots": [
            {
                "day": day,
                "start": 14,
                "end": 16,
                "campus": "Campus de l'Esplanade",
                "building": "Institut Le Bel",
                "places": 12,
                "full": day == 4,
            }
            for day in (4, 14, 24)
        ],
    },
    {
        "type": "Visite dans un lycée",
        "label": "Les métiers du numérique, présentés au lycée Kléber",
        "establishment": "UNISTRA",
        "structure": "MATHINFO",
        "description": "Des enseignants-chercheurs et des étudiants viennent présenter leurs formations au lycée.",
        "slots": [
            {
                "day": day,
                "start": 10,
                "end": 12,
                "place_high_school": PARTNER_HIGH_SCHOOL,
                "places": 30,
                "reserved_to_high_school": True,
            }
            for day in (6, 21)
        ],
    },
    {
        "type": "Salon",
        "label": "Forum des formations supérieures d'Alsace",
        "establishment": "UNISTRA",
        "description": "Les établissements d'Alsace présentent leurs formations sur un même stand.",
        "slots": [
            {
                "day": 16,
                "start": 9,
                "end": 17,
                "address": "Parc des expositions, avenue Herrenschmidt, 67000 Strasbourg",
                "places": 300,
                "group_places": 120,
            }
        ],
    },
    {
        "type": "Conférence",
        "label": "Conférence : l'intelligence artificielle, et après ?",
        "establishment": "INSA",
        "description": "Une conférence en ligne suivie d'un temps de questions.",
        "slots": [{"day": 12, "start": 17, "end": 18, "remote": True, "places": 150}],
    },
    {
        "type": "Atelier",
        "label": "Atelier : construire et programmer un petit robot",
        "establishment": "UHA",
        "structure": "IUTMUL",
        "description": "Atelier pratique au département GEII.",
        "slots": [
            {
                "day": day,
                "start": 13,
                "end": 15,
                "campus": "Campus Illberg",
                "building": "IUT — bâtiment A",
                "places": 16,
                "group_places": 16,
            }
            for day in (8, 18, 28)
        ],
    },
]
