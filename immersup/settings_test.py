"""Test settings: the production settings with what a test run needs changed."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789-abcdefghijklmnop")
os.environ.setdefault("HTTPS", "false")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
OUTBOX_SYNCHRONOUS_DELIVERY = True  # mail.outbox filled at once (tests of the sender thread turn it off)
BACKGROUND_SYNCHRONOUS = True  # apps.core.background runs at once, in the caller
AXES_ENABLED = False
# Parallel workers (pytest-xdist: gw0, gw1...) share nothing: each has its own test database
# (pytest-django's suffix), media folders and, with REDIS_URL, Redis database: a test clears the
# cache with FLUSHDB, which a key prefix would not confine, and the broker's queues live there too.
# Worker n takes the database n below REDIS_URL's (redis://.../15: gw0 15, gw1 14...).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
MEDIA_ROOT = BASE_DIR / ".test-media" / _WORKER  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private-media" / _WORKER  # noqa: F405
if REDIS_URL and _WORKER:  # noqa: F405
    from urllib.parse import urlsplit

    _redis = urlsplit(REDIS_URL)  # noqa: F405
    _database = (int(_redis.path.strip("/") or 0) - int(_WORKER.removeprefix("gw"))) % 16
    _worker_url = _redis._replace(path=f"/{_database}").geturl()
    if CELERY_BROKER_URL == REDIS_URL:  # noqa: F405
        CELERY_BROKER_URL = _worker_url
    REDIS_URL = CACHES["default"]["LOCATION"] = _worker_url  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = "test-" + (_WORKER or "main")  # noqa: F405
# The page policy is enforced, whatever CSP_REPORT_ONLY or DEBUG say, so that a page it breaks fails.
CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY or CONTENT_SECURITY_POLICY_REPORT_ONLY  # noqa: F405
CONTENT_SECURITY_POLICY_REPORT_ONLY = None
