import pytest

from apps.accounts.models import Role

from .helpers import pair, person


@pytest.fixture
def twins(world):
    """Two accounts of the same pupil on the first site, flagged as a pair."""
    first = person(world.site, "Élodie", "DUPONT", email="elodie.dupont@example.org", high_school=world.high_school)
    second = person(world.site, "elodie", "dupont", role=Role.VISITOR, email="e.dupont@example.org")
    return first, second, pair(world.site, first, second)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
