"""AuditPortal settings: one file, read from the environment, secure by default.

Every variable is listed in README.md. A bad value stops start-up with a message naming it.
"""

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from .env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# Under DEBUG, users still get the app's 400/403/404/500 pages; this gives developers Django's.
DEBUG_ERROR_PAGES = env_bool("DEBUG_ERROR_PAGES", False)
# The embedded demo (make run) may switch off two-factor enforcement; production never does.
DEMO_MODE = env_bool("DEMO_MODE", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789abcdef"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

# ".localhost": every *.localhost name (one per demo partnership) reaches the dev server.
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", ".localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "auditportal.views.csrf_failure"

PARTNERSHIP_NAME = env_str("PARTNERSHIP_NAME", "Safeguarding Children Partnership")
# A static file path (e.g. "img/partnership-logo.png") printed on briefings; empty: no logo.
PARTNERSHIP_LOGO = env_str("PARTNERSHIP_LOGO", "") or ""
# Whom practitioners ask about an audit when its owner cannot be named; empty: "the business team".
PARTNERSHIP_CONTACT_EMAIL = env_str("PARTNERSHIP_CONTACT_EMAIL", "") or ""
# Host names of the hosting administration (partnerships are managed there; no case data).
HOSTING_HOSTS = [
    h.lower() for h in env_list("HOSTING_HOSTS", ["hosting.localhost"] if DEBUG else [])
]
SITE_URL = (env_str("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    # django.contrib.admin, its site named for the request's partnership.
    "auditportal.admin_apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    # Imports every app's rules.py at start-up, so each permission is registered once.
    "rules.apps.AutodiscoverRulesConfig",
    "auditportal",
    "accounts",
    "cases",
    "audits",
    "surveys",
    "findings",
    "briefings",
    "demo",
]

MIDDLEWARE = [
    "auditportal.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cases.middleware.PartnershipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionSecurityMiddleware",
    "accounts.middleware.MFAEnforcementMiddleware",
    "accounts.middleware.BadInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "auditportal.middleware.AppErrorPagesMiddleware",
]

ROOT_URLCONF = "auditportal.urls"
WSGI_APPLICATION = "auditportal.wsgi.application"

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
                "auditportal.context_processors.partnership",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user@host:5432/name), default a SQLite file in the project.
_database_url = env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
except Exception as exc:  # dj-database-url raises several types for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] not in {
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
}:
    raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or sqlite:// URL")
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the Celery broker, result backend and cache. Unset: tasks run in-process.
REDIS_URL = env_str("REDIS_URL") or ""
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("REDIS_URL must start with redis:// or rediss://")

if REDIS_URL:
    # Redis down: no cache (pages slower), never an error (auditportal/cache.py).
    CACHES = {
        "default": {"BACKEND": "auditportal.cache.ResilientRedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Object permissions from each app's rules.py. Views ask through auditportal.access, which
    # reads the rules alone, so the model backend's superuser shortcut never widens access.
    "rules.permissions.ObjectPermissionBackend",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where bin/build-static collects the hashed static files (the image: /app/staticfiles).
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    # Briefing PDFs go through Django's storage API: S3-compatible storage is a settings change
    # (install django-storages and set MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage).
    "default": {
        "BACKEND": env_str("MEDIA_STORAGE_BACKEND") or "django.core.files.storage.FileSystemStorage"
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Email
EMAIL_BACKEND = env_choice(
    "EMAIL_BACKEND",
    {
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "console": "django.core.mail.backends.console.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    },
    "console" if DEBUG else "smtp",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "auditportal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Field-level encryption of record references (django-fernet-encrypted-fields derives its key
# from SECRET_KEY and this salt). Changing either without a fallback makes them unreadable.
SALT_KEY = env_str("FIELD_ENCRYPTION_SALT")
if not SALT_KEY:
    if DEBUG:
        SALT_KEY = "insecure-development-salt"
    else:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_SALT must be set when DEBUG is off")

# Security headers and cookies. HTTPS is assumed outside DEBUG (a proxy terminates TLS).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Behind the documented TLS proxy (one hop) only: X-Forwarded-Proto, which it sets (dropping a
# client's own), says whether the request came over HTTPS (gunicorn.conf.py reads it too), and
# the client address for the lockout is the last X-Forwarded-For entry, which it appends
# (auditportal.security.client_address). Off: any client could claim either; both are ignored.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_secure_cookies = not DEBUG
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
SESSION_COOKIE_NAME = "__Secure-sessionid" if _secure_cookies else "sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken" if _secure_cookies else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Absolute lifetime of a session; the idle timeout is enforced by middleware.
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 8 * 60 * 60, minimum=300)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content Security Policy (django-csp 4): no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Lockout after repeated failed sign-ins (django-axes): per username across addresses, and
# per address across usernames (password spraying).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "auditportal.security.client_address"
# Axes would clear the address's failures too on any sign-in from it; a sign-in clears the
# user's own failures only (auditportal.security).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Two-factor sign-in (django-otp). Production default: required for business team,
# practitioners and administrators. DEMO_MODE may switch enforcement off (make run says so).
MFA_ENFORCED = env_bool("MFA_ENFORCED", not DEMO_MODE)


def _totp_issuer(device: Any) -> str:
    """The authenticator app's entry names the user's own partnership (a hosting
    administrator's: the hosting administration)."""
    partnership = device.user.partnership
    return partnership.name if partnership is not None else "AuditPortal hosting administration"


OTP_TOTP_ISSUER = _totp_issuer

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery. Without REDIS_URL tasks run in-process, so the embedded demo needs nothing but Python.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240, minimum=5)
# Rendering a long briefing takes seconds; these bound a runaway document well below the
# worker-wide limits. The render task uses them, and so does the service that decides when a
# render can no longer be running (briefings.services.STUCK_AFTER).
BRIEFING_RENDER_SOFT_TIME_LIMIT = 120
BRIEFING_RENDER_TIME_LIMIT = 150
# Memory bound per worker child (KiB): a child above it is replaced after its task.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_KB", 512_000, minimum=1)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Work is enqueued through the outbox (auditportal/outbox.py), which retries until Redis
# answers: a publish fails fast instead of holding a request, and nothing waits on results
# (task state lives in the database), so an enqueue never touches the result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
# Several deployments (or test runs) may share one Redis: each names its own queues.
# Two queues by urgency: e-mail (immediate-concern alerts, notices, reminders) has its own queue
# and, in production, its own worker (compose's mail-worker), so a burst of PDF renders never
# delays an alert that a child may be at risk now. CELERY_WORKER_QUEUES (default, mail or all)
# says which a worker takes; without it (make run with Redis) a worker takes both.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery") or "celery"
MAIL_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}-mail"
CELERY_TASK_QUEUES = [
    Queue(CELERY_TASK_DEFAULT_QUEUE, routing_key=CELERY_TASK_DEFAULT_QUEUE),
    Queue(MAIL_QUEUE, routing_key=MAIL_QUEUE),
]
# The tasks that send e-mail go to MAIL_QUEUE (auditportal/celery.py: MAIL_TASKS).
CELERY_TASK_ROUTES = ("auditportal.celery.route_by_urgency",)

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Never log request bodies or SQL parameters: they can hold children's data.
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "INFO"},
    },
}

WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
