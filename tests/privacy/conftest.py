import pytest
from django.db.models import F

from apps.catalogue.models import Slot
from apps.registrations.models import Registration
from apps.tenancy.scoping import platform_job


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def register(site, slot, person):
    """An active registration, counted on its slot the way the registration engine does."""
    with platform_job():
        Slot.objects.filter(pk=slot.pk).update(individual_places_taken=F("individual_places_taken") + 1)
        return Registration.objects.create(site=site, slot=slot, person=person)


def taken(slot):
    with platform_job():
        return Slot.objects.get(pk=slot.pk).individual_places_taken
