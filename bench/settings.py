"""Settings for the benchmarks only: the application's settings plus the bare comparison views.

The application's own URLs are untouched: ``bench.urls`` includes them and adds two routes
under ``/__bench__/``. Never used by the application or the tests.
"""

from immersup.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The benchmark's static files are collected here (DEBUG is off: manifest storage).
STATIC_ROOT = BASE_DIR / "bench" / ".staticfiles"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
