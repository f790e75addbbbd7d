"""The action types of the offer: trainings, courses, events, slots (each named after its model)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import declare

declare(
    {
        "catalogue.training.created": _("Training created"),
        "catalogue.training.changed": _("Training changed"),
        "catalogue.training.deactivated": _("Training deactivated"),
        "catalogue.training.deleted": _("Training deleted"),
        "catalogue.course.created": _("Course created"),
        "catalogue.course.changed": _("Course changed"),
        "catalogue.course.published": _("Course published"),
        "catalogue.course.unpublished": _("Course unpublished"),
        "catalogue.course.deleted": _("Course deleted"),
        "catalogue.course.speakers_changed": _("Speakers of a course changed"),
        "catalogue.course.speaker_invited": _("Speaker invited to a course"),
        "catalogue.event.created": _("Event created"),
        "catalogue.event.changed": _("Event changed"),
        "catalogue.event.published": _("Event published"),
        "catalogue.event.unpublished": _("Event unpublished"),
        "catalogue.event.deleted": _("Event deleted"),
        "catalogue.event.speakers_changed": _("Speakers of an event changed"),
        "catalogue.event.speaker_invited": _("Speaker invited to an event"),
        "catalogue.slot.created": _("Slot created"),
        "catalogue.slot.changed": _("Slot changed"),
        "catalogue.slot.published": _("Slot published"),
        "catalogue.slot.unpublished": _("Slot unpublished"),
        "catalogue.slot.cancelled": _("Slot cancelled"),
        "catalogue.slot.deleted": _("Slot deleted"),
    }
)
