"""Bump a site's offer version whenever a piece of its public offer changes.

Connected in :meth:`apps.portal.apps.PortalConfig.ready`. The bump happens at once (so the
writer's next page is fresh) and again on commit (so a page rebuilt by another request
between the write and the commit, from the old rows, is not kept either).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.academic_calendar.models import Period
from apps.catalogue.models import Course, Event, Slot, Training
from apps.organisations.models import Building, Campus, Establishment, HighSchool, Structure
from apps.referentials.models import EventType, TrainingDomain, TrainingSubdomain

from .cache import bump_offer_version


def offer_models():
    return (
        Training,
        Course,
        Event,
        Slot,
        Structure,
        Establishment,
        HighSchool,
        Campus,
        Building,
        TrainingDomain,
        TrainingSubdomain,
        EventType,
        Period,
    )


def offer_m2m_through_models():
    return (Training.subdomains.through, *(getattr(Slot, name).through for name in Slot.RESTRICTION_FIELDS))


def _bump(site_id):
    if site_id is None:
        return
    bump_offer_version(site_id)
    transaction.on_commit(lambda: bump_offer_version(site_id))


def offer_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):  # loading fixtures
        return
    _bump(getattr(instance, "site_id", None))


def offer_m2m_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _bump(getattr(instance, "site_id", None))


def connect():
    for model in offer_models():
        uid = f"portal-offer-{model._meta.label_lower}"
        post_save.connect(offer_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(offer_changed, sender=model, dispatch_uid=f"{uid}-delete")
    for through in offer_m2m_through_models():
        uid = f"portal-offer-m2m-{through._meta.label_lower}"
        m2m_changed.connect(offer_m2m_changed, sender=through, dispatch_uid=uid)
