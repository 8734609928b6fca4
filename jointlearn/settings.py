"""JointLearn settings, read from the environment (see .env.example for every variable)."""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from error


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def email_settings(url):
    """Turn EMAIL_URL (smtp://user:pass@host:port?tls=1, console:, file:///dir) into settings."""
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(f"EMAIL_URL scheme must be one of {sorted(backends)}.")
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "EMAIL_BACKEND": backends[parts.scheme],
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": options.get("tls", "0").lower() in {"1", "true", "yes"},
    }


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
# Management commands (migrations, catalogues) run without a key; serving does not:
# asgi.py refuses to start and `check --deploy` fails while this is true.
SECRET_KEY_MISSING = not SECRET_KEY
if SECRET_KEY_MISSING:
    SECRET_KEY = (
        "development-only-key-never-used-in-production-0123456789abcdefghijkl"
        if DEBUG
        else secrets.token_urlsafe(64)
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_countries",
    "taggit",
    "csp",
    "jointlearn",
    "practices",
    "meetings",
    "learningcafe",
    "reflections",
    "surveys",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jointlearn.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "jointlearn.urls"
ASGI_APPLICATION = "jointlearn.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "jointlearn.context_processors.site",
            ],
        },
    },
]

# Databases: PostgreSQL through DATABASE_URL, otherwise SQLite in WAL mode where writers
# queue on the busy timeout instead of failing with "database is locked".
DATABASE_URL = env_str("DATABASE_URL")
# PostgreSQL connections come from a pool in each process (psycopg_pool), at most
# DATABASE_POOL_MAX_SIZE; 0 turns the pool off (behind PgBouncer, say). Without a pool every
# operation of a live socket opened its own connection: a new server process each time,
# which in the soak made an operation wait seconds after a café's rotation.
DATABASE_POOL_MAX_SIZE = env_int("DATABASE_POOL_MAX_SIZE", 20)
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
        DATABASE_POOL_MAX_SIZE > 0
    ):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, DATABASE_POOL_MAX_SIZE),
            "max_size": DATABASE_POOL_MAX_SIZE,
            # A request that finds every connection busy for this long fails (a socket's
            # operation gets "try again"), rather than hang.
            "timeout": 10,
        }
        # A pooled connection is checked before use: one left over from before a database
        # restart is replaced, not handed to a request.
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not memory, so the daphne process of the browser tests shares it.
            "TEST": {"NAME": str(BASE_DIR / "test-db.sqlite3")},
            # Kept open: a new SQLite connection costs its PRAGMAs and Django's functions,
            # and with 0 every live operation of daphne's database thread opened one.
            # (Django advises against persistent connections under ASGI, where a request's
            # thread may end with its connection open: for SQLite that is a file handle,
            # closed when the thread's objects go. PostgreSQL keeps 0, above.)
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 600),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Channel layer and cache: Redis through REDIS_URL, otherwise in process memory.
REDIS_URL = env_str("REDIS_URL")
# Messages a channel may hold before the layer drops more. A socket that misses events this
# way sees a version gap and resyncs (jointlearn/live/consumers.py). In memory each socket has
# its own queue (channels' default, 100). channels_redis keeps the messages of all of a
# worker's sockets in one Redis list and checks the capacity against that list: with 100, a
# worker with 150 café sockets that fell 100 messages behind during a rotation dropped the
# next event for all of them, and 150 snapshots made it fall further behind (the soak: 60
# gaps in ten minutes on SQLite; 0 with 1,000 in a three-minute trial).
CHANNEL_CAPACITY = env_int("CHANNEL_CAPACITY", 1000 if REDIS_URL else 100)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 caps a connection pool at 100 connections and fails beyond
                # ("Too many connections"): a worker with 150 café sockets met it in the soak
                # and lost sockets. Redis itself takes 10,000 clients. Its read timeout (5 s)
                # equals the layer's blocking receive (BZPOPMIN for 5 s): a reply a moment
                # late killed the socket's consumer; the read timeout must be longer.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": env_int("REDIS_MAX_CONNECTIONS", 1000),
                        "socket_timeout": 30,
                    }
                ],
                "prefix": env_str("REDIS_PREFIX", "jointlearn"),
                "capacity": CHANNEL_CAPACITY,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("REDIS_PREFIX", "jointlearn"),
        },
        "fragments": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("REDIS_PREFIX", "jointlearn") + "-fragments",
            "TIMEOUT": 24 * 3600,
        },
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "jointlearn.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": CHANNEL_CAPACITY},
        }
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
# "fragments" holds rendered pieces of pages under keys made from everything they show
# (jointlearn/fragments.py), apart from "default" so that they never push out the
# throttling counters kept there.

AUTH_USER_MODEL = "jointlearn.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("nl", _("Dutch")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# European date and time formats for English too (24-hour clock, day before month).
FORMAT_MODULE_PATH = ["jointlearn.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The live protocol: operations a socket may send per second on average, and in a burst.
LIVE_OPS_PER_SECOND = env_int("LIVE_OPS_PER_SECOND", 10)
LIVE_OPS_BURST = env_int("LIVE_OPS_BURST", 20)

MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Attachments and submissions: never served by the web server, only by views that check
# membership (jointlearn.uploads.attachment_response).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names after collectstatic; plain names while developing.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "JointLearn <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
globals().update(email_settings(env_str("EMAIL_URL")))

# Security: strict unless DEBUG. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Health checks reach each worker's port directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# How long an invitation stays valid, and how join codes are rate limited.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
JOIN_ATTEMPTS_PER_CLIENT = env_int("JOIN_ATTEMPTS_PER_CLIENT", 5)
JOIN_ATTEMPTS_PER_ADDRESS = env_int("JOIN_ATTEMPTS_PER_ADDRESS", 30)
JOIN_ATTEMPT_WINDOW_SECONDS = env_int("JOIN_ATTEMPT_WINDOW_SECONDS", 300)
# Failed sign-ins: per account (the email typed) and, more loosely, per address.
LOGIN_ATTEMPTS_PER_ACCOUNT = env_int("LOGIN_ATTEMPTS_PER_ACCOUNT", 5)
LOGIN_ATTEMPTS_PER_ADDRESS = env_int("LOGIN_ATTEMPTS_PER_ADDRESS", 20)
LOGIN_ATTEMPT_WINDOW_SECONDS = env_int("LOGIN_ATTEMPT_WINDOW_SECONDS", 900)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
