from apps.catalogue.models import Slot
from apps.tenancy.scoping import for_site


def test_world_builds(world, other_world):
    with for_site(world.site):
        assert Slot.objects.count() == 7
