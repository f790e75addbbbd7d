import pytest

from apps.tenancy.scoping import for_site, platform_job
from tests.factories import build_world


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """A complete site answering on ``testserver`` (the test client's host)."""
    with platform_job():
        return build_world("alpha", hosts=("testserver", "alpha.localhost"))


@pytest.fixture
def other_world(db):
    """A second, sealed site answering on ``beta.localhost``."""
    with platform_job():
        return build_world("beta", hosts=("beta.localhost",))


@pytest.fixture
def in_site(world):
    """Run the test body inside the first site's scope."""
    with for_site(world.site):
        yield world
