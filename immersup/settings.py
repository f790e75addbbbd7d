"""ImmerSup settings: one file, driven by the environment.

Every value that differs between a laptop, CI and production is read from an
environment variable (or a ``.env`` file next to ``manage.py``). Defaults are the
embedded, single-machine ones: SQLite, in-memory cache, e-mails on the console.
Production sets ``DEBUG=false`` and gets the hardened defaults below; see README.md.
"""

from pathlib import Path

import environ
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-never-in-production-0123456789"  # noqa: S105

# Sites are resolved from the Host header by apps.tenancy.middleware, which answers
# 404 for any host that no site claims; ALLOWED_HOSTS is a first, coarse filter.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "apps.admin_face.apps.ImmerSupAdminConfig",  # django.contrib.admin with the ImmerSup admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for the FORM_RENDERER below
    "django_scopes",
    "django_htmx",
    "django_filters",
    "django_tables2",
    "axes",
    "django_celery_beat",
    "csp",
    "django_ratelimit",
    # ImmerSup domain apps
    "apps.core",
    "apps.tenancy",
    "apps.directories",
    "apps.organisations",
    "apps.referentials",
    "apps.academic_calendar",
    "apps.catalogue",
    "apps.accounts",
    "apps.registrations",
    "apps.records",
    "apps.notifications",
    "apps.staff",
    "apps.federation",
    "apps.attestations",
    "apps.duplicates",
    "apps.privacy",
    "apps.backoffice",
    "apps.content",
    "apps.portal",
    "apps.demo",
    "apps.yearly",
    "apps.jobs",
    "apps.dashboards",
    "apps.statistics",
    "apps.audit",
    "apps.sites",
    "apps.admin_face",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.DropControlCharacterCookiesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "djangosaml2.middleware.SamlSessionMiddleware",
    "apps.core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The page policy (Content-Security-Policy): before the site middleware, whose "unknown site" page it covers.
    "apps.federation.csp.CSPMiddleware",
    "apps.tenancy.middleware.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The client's address for the action log (services take no request).
    "apps.audit.context.ActionContextMiddleware",
    # Before anything reads the path or the parameters (and after the site and person are known, for its page).
    "apps.core.middleware.RejectControlCharactersMiddleware",
    "apps.federation.middleware.EmailGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "immersup.urls"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
WSGI_APPLICATION = "immersup.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.tenancy.context_processors.current_site",
                "apps.accounts.context_processors.navigation",
            ],
        },
    },
]

# Every form renders its fields through one template (templates/forms/field.html): apps/core/forms.py.
FORM_RENDERER = "apps.core.forms.FormRenderer"

# --- Database -------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="immersup"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "federation:sign_in"
LOGIN_REDIRECT_URL = "accounts:after_sign_in"
#: Accounts never activated are deleted after this many days (manage.py delete_unactivated_accounts).
UNACTIVATED_ACCOUNT_DAYS = env.int("UNACTIVATED_ACCOUNT_DAYS", default=7)
#: E-mails sent on request (sign-up, new activation link, password reset, e-mail change), counted
#: per address and per client IP address (apps/accounts/limits.py): "count/period", the period
#: in s, m, h or d with an optional multiple ("3/15m": 3 per 15 minutes). Per IP, the default
#: leaves room for a class signing up together from its high school's one address.
ACCOUNT_MAIL_RATE_PER_ADDRESS = env.str("ACCOUNT_MAIL_RATE_PER_ADDRESS", default="3/15m")
ACCOUNT_MAIL_RATE_PER_IP = env.str("ACCOUNT_MAIL_RATE_PER_IP", default="50/h")
for _rate in (ACCOUNT_MAIL_RATE_PER_ADDRESS, ACCOUNT_MAIL_RATE_PER_IP):
    _count, _slash, _period = _rate.partition("/")
    _multiple, _unit = _period[:-1] or "1", _period[-1:]
    if not (_count.isdigit() and _multiple.isdigit() and int(_multiple) > 0 and _unit in ("s", "m", "h", "d")):
        raise ImproperlyConfigured(f"ACCOUNT_MAIL_RATE_*: {_rate!r} is not a rate such as 3/15m or 50/h.")
# Behind a proxy, REMOTE_ADDR is the proxy's: the client is the address it added to X-Forwarded-For.
RATELIMIT_IP_META_KEY = "apps.core.http.forwarded_ip" if env.bool("BEHIND_PROXY", default=False) else None
# django-ratelimit checks that its cache is shared between processes and increments atomically.
SILENCED_SYSTEM_CHECKS = [
    # "Not officially supported": Django's own RedisCache (REDIS_URL) is not on the package's list,
    # yet it is shared and its incr() is Redis' atomic INCRBY; the in-memory cache: see below.
    "django_ratelimit.W001",
]
if not REDIS_URL:
    # Without Redis (development, tests, a one-machine deployment) the in-memory cache counts per
    # process: each gunicorn worker allows the rates, a weaker limit but still one. Set REDIS_URL
    # for an exact one.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
#: Largest accepted upload (attestation documents, class lists), in bytes.
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=5 * 1024 * 1024)
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# One key per account whatever the form calls the field (``email`` here, ``username`` in the admin).
AXES_USERNAME_CALLABLE = "apps.accounts.lockout.failure_key"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "apps.accounts.views.locked_out"

# --- Federated sign-in (apps.federation) -----------------------------------------------
# One SAML service provider per site (RENATER/Shibboleth, EduConnect), built from the site's
# FederationSettings; the key pair is shared by every site (PEM files readable by the app only).
SAML_SP_KEY_FILE = env.str("SAML_SP_KEY_FILE", default="")
SAML_SP_CERT_FILE = env.str("SAML_SP_CERT_FILE", default="")
SAML_XMLSEC_BINARY = env.str("SAML_XMLSEC_BINARY", default="/usr/bin/xmlsec1")
SAML_CONFIG_LOADER = "apps.federation.saml.config_loader"
SAML_CSP_HANDLER = ""
# The identity provider's POST to the ACS is cross-site: djangosaml2 keeps its state in its own cookie.
SAML_SESSION_COOKIE_NAME = "saml_session"
LOGOUT_REDIRECT_URL = "portal:home"

# --- Internationalisation ---------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
SERVE_PUBLIC_MEDIA = env.bool("SERVE_PUBLIC_MEDIA", default=True)
# Private files (attestations, class lists) live outside MEDIA_ROOT and are only ever
# served through views that check the reader's rights.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ImmerSup <no-reply@immersup.localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Seconds the mail server may stay silent before a delivery gives up (the message is retried
# later): never unbounded, or one silent server would hold a sender for good.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=20)
# The outbox is sent outside the request (a worker, or without a broker the process's sender
# thread). True sends it at once, inside the caller: the test settings only.
OUTBOX_SYNCHRONOUS_DELIVERY = False
# Without a broker, work kept out of the request runs on a background thread of the process
# (apps.core.background). True runs it at once, in the caller: the test settings only.
BACKGROUND_SYNCHRONOUS = False

# --- Celery -------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
# The schedules live in the database (django-celery-beat), edited by the operator in the admin;
# `manage.py setup_schedules` installs the defaults (apps/jobs/schedules.py).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Security -----------------------------------------------------------------------
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# The page policy (django-csp; apps/federation/csp.py adds, per page, what federated sign-in needs).
# Every HTML page takes its scripts, styles, images and fonts from the site itself: no inline
# script, no eval, no style attribute; the one inline <style> (the site's colours, base.html)
# carries the request's nonce. Enforced in production; while DEBUG is on, by default, only
# reported (browser console): CSP_REPORT_ONLY=true/false decides. The tests always enforce it.
_page_policy = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF, csp_constants.NONCE],
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    }
}
_csp_report_only = env.bool("CSP_REPORT_ONLY", default=DEBUG)
CONTENT_SECURITY_POLICY = None if _csp_report_only else _page_policy
CONTENT_SECURITY_POLICY_REPORT_ONLY = _page_policy if _csp_report_only else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
