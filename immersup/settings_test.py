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
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private-media"  # noqa: F405
# Parallel workers (pytest-xdist) must not share cache keys when the cache is Redis.
CACHES["default"]["KEY_PREFIX"] = "test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
# The page policy is enforced, whatever CSP_REPORT_ONLY or DEBUG say, so that a page it breaks fails.
CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY or CONTENT_SECURITY_POLICY_REPORT_ONLY  # noqa: F405
CONTENT_SECURITY_POLICY_REPORT_ONLY = None
