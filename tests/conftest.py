import pytest
from django.db import transaction

from apps.tenancy.scoping import for_site, platform_job
from tests.factories import build_world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, with no session left on them when they are dropped.

    Playwright's synchronous API leaves an event loop "running" in the main thread from the first
    browser test on; Django then keeps that thread's connections per context (asgiref's
    ``Local``), so the connection opened before it stays open, unused, and PostgreSQL refuses to
    drop a database that a session still uses. Whether it is still open at the end depended on
    which test ran last (a ``transactional_db`` test closes it): under pytest-xdist, on chance.
    """
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


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


# --- Rows built once for a whole test class ------------------------------------------------
# A permission matrix asks hundreds of questions of the same rows: building the world for each
# costs far more than the request itself. ``class_db`` opens one transaction around a test
# class; the class-scoped fixtures below build their rows in it once. Each test still runs in a
# savepoint of it (pytest-django's ``db``, rolled back after the test), so every test starts
# from the same rows whatever the one before it wrote, and the class's rows are rolled back
# after its last test. The objects are shared by the class's tests: a test must not change
# them in memory (re-read a row to change it), and a test that needs ``transactional_db`` or
# ``live_server`` has no place in such a class. Use it as:
#
#     class TestMatrix:
#         @pytest.fixture
#         def world(self, class_world, db):
#             return class_world


@pytest.fixture(scope="class")
def class_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="class")
def class_world(class_db):
    """``world``, built once for the test class (see ``class_db``)."""
    with platform_job():
        return build_world("alpha", hosts=("testserver", "alpha.localhost"))


@pytest.fixture(scope="class")
def class_other_world(class_db):
    """``other_world``, built once for the test class (see ``class_db``)."""
    with platform_job():
        return build_world("beta", hosts=("beta.localhost",))
