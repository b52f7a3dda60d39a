"""Settings, driven by the environment (twelve-factor); defaults serve the embedded demo."""

import os
import sys
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
import pysqlite3
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The stdlib sqlite3 here is built without extension loading; pysqlite3 ships a recent SQLite
# with FTS5 and load_extension, needed for sqlite-vec.

sys.modules["sqlite3"] = pysqlite3

# torch's OpenMP threads busy-wait when idle, which halves embedding throughput on a shared
# host; this must be set before torch is first imported (spaCy imports it too).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("RECOLTE_DATA", BASE_DIR.parent / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The key signs sessions, CSRF tokens and password resets, so there is no public default: it is
# SECRET_KEY, else the content of the file SECRET_KEY_FILE names, else DATA_DIR/secret_key
# (`make demo` writes a random one there once per instance). Without any, nothing starts.
_key_file = Path(os.environ.get("SECRET_KEY_FILE", DATA_DIR / "secret_key"))
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    _key_file.read_text().strip() if _key_file.is_file() else ""
)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        f"No secret key: set the SECRET_KEY environment variable, or SECRET_KEY_FILE to a file "
        f"holding it (no key in {_key_file}). For example: python -c 'import secrets; "
        f"print(secrets.token_urlsafe(50))' > {_key_file} && chmod 600 {_key_file}"
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "recolte.registry",
    "recolte.access",
    "recolte.collection",
    "recolte.corpus",
    "recolte.coding",
    "recolte.synthesis",
    "recolte.portal",
    "recolte.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside the language, the user and the messages: it renders the 405 page with them.
    "recolte.errors.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "recolte.middleware.SecurityHeadersMiddleware",
    "recolte.middleware.NulCharacterMiddleware",
    # Last, as django-axes asks: turns a lockout flagged during authentication into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "recolte.urls"
WSGI_APPLICATION = "recolte.wsgi.application"

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
            ],
            # Colons, percentages and dates in the page's language, in every template.
            "builtins": ["recolte.l10n"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'recolte.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a worker writes; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The corpus indexes are read from memory, not disk: at PostgreSQL's default page cost the
    # planner scanned all 100k full-text rows (108 ms) rather than use the GIN index (23 ms).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c random_page_cost=1.1"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Failed logins allowed per username within the window below (seconds); an address, which may
# be a shared office, is allowed LOGIN_RATE_LIMIT_PER_ADDRESS.
LOGIN_RATE_LIMIT = int(os.environ.get("LOGIN_RATE_LIMIT", "5"))
LOGIN_RATE_WINDOW = int(os.environ.get("LOGIN_RATE_WINDOW", "300"))
LOGIN_RATE_LIMIT_PER_ADDRESS = int(
    os.environ.get("LOGIN_RATE_LIMIT_PER_ADDRESS", str(4 * LOGIN_RATE_LIMIT))
)
# django-axes throttles every form that authenticates (ours and the admin's): its backend comes
# first and refuses a locked-out username or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "recolte.access.throttle.LoginThrottleHandler"
# Order matters: LoginThrottleHandler reads the counts as (per username, per address).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = LOGIN_RATE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_RATE_WINDOW)
# Axes' own reset on success deletes by address too, which let one's own login wipe the
# failures against other accounts; LoginThrottleHandler resets the username only.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "access/locked.html"
# Only REMOTE_ADDR: X-Forwarded-For is the client's to forge. Behind a proxy, make the proxy
# set REMOTE_ADDR.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_IPWARE_PROXY_COUNT = None
# Only failures are needed to throttle; no log of every sign-in (personal data) is kept.
AXES_DISABLE_ACCESS_LOG = True

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
        if "CACHE_DIR" not in os.environ
        else "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", "recolte"),
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["recolte.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files from the apps directly, so no collectstatic step is needed
# (and an absent STATIC_ROOT is normal).
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at: ")
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))

EMAIL_URL = os.environ.get("EMAIL_URL", "console://")
if EMAIL_URL.startswith("smtp"):
    from urllib.parse import unquote, urlparse

    _mail = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
elif EMAIL_URL.startswith("file://"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = EMAIL_URL.removeprefix("file://") or str(DATA_DIR / "mail")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "recolte@localhost")
# Starting a programme needs the `registry.add_programme` permission (or a superuser) unless
# this opens it to every signed-in user.
RECOLTE_OPEN_PROGRAMME_CREATION = env_bool("RECOLTE_OPEN_PROGRAMME_CREATION", False)
# Absolute links in e-mails sent outside a request (scheduled reminders).
RECOLTE_SITE_URL = os.environ.get("RECOLTE_SITE_URL", "http://127.0.0.1:8000")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Security headers; HTTPS-only settings follow the environment so the local demo still works.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))

# Upload limits protect the ingestion pipeline (zip bombs and oversized files are refused there).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
RECOLTE_MAX_UPLOAD_BYTES = int(os.environ.get("RECOLTE_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
# Uploads above this are read by a task (extraction can take seconds); smaller ones at once.
RECOLTE_UPLOAD_INLINE_BYTES = 256 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
