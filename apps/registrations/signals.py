"""Receivers of the catalogue's hook (:mod:`apps.catalogue.hooks`), connected in ``ready()``."""

from django.dispatch import receiver

from apps.catalogue.hooks import course_slot_visible

from .services import notify_course_alerts


@receiver(course_slot_visible, dispatch_uid="registrations_course_alerts")
def answer_course_alerts(sender, *, slot, **kwargs):
    """A slot of the course became visible: the people waiting for one hear of it, once."""
    notify_course_alerts(slot)
