"""Trainings (linked to reference subdomains), their courses, and events."""

from dataclasses import dataclass, field

from apps.catalogue.models import Course, Event, Training
from apps.referentials.models import EventType, TrainingSubdomain

from . import ensure


@dataclass
class CourseEntry:
    course: Course
    owner: str  # structure code or high-school UAI
    establishment_code: str | None  # None for a course of a host high school


@dataclass
class EventEntry:
    event: Event
    spec: dict


@dataclass
class Offer:
    trainings: list = field(default_factory=list)
    courses: list = field(default_factory=list)  # [CourseEntry], in spec order
    events: list = field(default_factory=list)  # [EventEntry], in spec order


def _description(course_label, training_label):
    return (
        f"{course_label} : une séance du programme de la formation « {training_label} », "
        "ouverte aux lycéennes et lycéens pour découvrir le rythme et les méthodes du supérieur."
    )


def build_offer(site, spec, stats, orgs):
    offer = Offer()
    wanted = {label for *_, subdomains, _courses in spec["trainings"] for label in subdomains}
    subdomains = {}
    for sub in TrainingSubdomain.objects.filter(label__in=wanted).order_by("pk"):
        subdomains.setdefault(sub.label, sub)
    missing = wanted - subdomains.keys()
    if missing:
        raise ValueError(f"Unknown training subdomains in the demo spec: {sorted(missing)}")
    establishment_of = {code: s.establishment for code, s in orgs.structures.items()}
    code_of = {e.pk: code for code, e in orgs.establishments.items()}

    for kind, owner, label, subdomain_labels, course_labels in spec["trainings"]:
        if kind == "structure":
            lookup = {"structure": orgs.structures[owner], "label": label}
            establishment_code = code_of[establishment_of[owner].pk]
        else:
            lookup = {"high_school": orgs.high_schools[owner], "label": label}
            establishment_code = None
        training = ensure(stats, Training, site, lookup, {"is_active": True})
        training.subdomains.add(*(subdomains[name] for name in subdomain_labels))
        offer.trainings.append(training)
        for course_label in course_labels:
            course = ensure(
                stats,
                Course,
                site,
                {"training": training, "label": course_label},
                {"published": True, "description": _description(course_label, label)},
            )
            offer.courses.append(CourseEntry(course=course, owner=owner, establishment_code=establishment_code))

    event_types = {t.label: t for t in EventType.objects.all()}
    for item in spec["events"]:
        values = {
            "event_type": event_types[item["type"]],
            "description": item.get("description", ""),
            "establishment": orgs.establishments[item["establishment"]],
            "structure": orgs.structures[item["structure"]] if item.get("structure") else None,
            "high_school": None,
            "published": True,
        }
        event = ensure(stats, Event, site, {"label": item["label"]}, values)
        offer.events.append(EventEntry(event=event, spec=item))
    return offer


def assign_speakers(offer, people):
    """Speakers teach the courses (and events) of the owners they are attached to in the spec."""
    for entry in offer.courses:
        teachers = people.teachers.get(entry.owner)
        if teachers:
            entry.course.speakers.add(*teachers)
    for entry in offer.events:
        teachers = people.teachers.get(entry.spec.get("structure"))
        if teachers:
            entry.event.speakers.add(*teachers)
