"""One settings file, configured by environment variables (see docs/configuration.md).

Every variable is read through `env_*` helpers that fail loudly on a bad value, so a
deployment with a typo stops at start-up instead of running with a surprising default.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from boundaries.security import credentials

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str) -> str:
    """A secret from `name`, from the file `name_FILE` names, or from systemd's credential
    of that name: what secrets managers hand over (security/credentials.py)."""
    try:
        value = credentials.secret(name)
    except credentials.SecretError as error:
        raise ImproperlyConfigured(str(error)) from None
    return default if value is None else value


ENVIRONMENT = env_str("BOUNDARIES_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"BOUNDARIES_ENV must be development, production or test, not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(env_str("BOUNDARIES_DATA_DIR", str(BASE_DIR.parent / "var"))).resolve()

_INSECURE_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_secret("SECRET_KEY", _INSECURE_KEY)
if PRODUCTION and (SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production"
    )

# Seals second-factor and sign-in secrets in the database (security/encryption.py). Kept
# out of the database and its backups; in development derived from SECRET_KEY.
FIELD_ENCRYPTION_KEY = env_secret("FIELD_ENCRYPTION_KEY", "")
# Comma-separated, or one a line in a file.
FIELD_ENCRYPTION_OLD_KEYS = [
    key.strip()
    for key in env_secret("FIELD_ENCRYPTION_OLD_KEYS", "").replace("\n", ",").split(",")
    if key.strip()
]
if PRODUCTION and len(FIELD_ENCRYPTION_KEY) < 32:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY must be set to a random value of at least 32 characters in "
        "production (it encrypts second-factor and sign-in secrets; keep it out of backups)"
    )
if PRODUCTION and FIELD_ENCRYPTION_KEY == SECRET_KEY:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must not be the same as SECRET_KEY")

DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "boundaries.core",
    "boundaries.policies",
    "boundaries.roster",
    "boundaries.acknowledgements",
    "boundaries.declarations",
    "boundaries.concerns",
    "boundaries.screening",
    "boundaries.webactivity",
    "boundaries.reports",
    "boundaries.security",
    "boundaries.api",
    "boundaries.scheduling",
]

MIDDLEWARE = [
    # Outermost: each request's identifier in its log lines; refusals logged (security/).
    "boundaries.security.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before any view: TRACE and TRACK get 405; plain-HTTP API calls 403 (security/*.py).
    "boundaries.security.methods.RefuseTraceMiddleware",
    "boundaries.security.transport.ApiNeedsHttpsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "boundaries.security.middleware.RequestSizeMiddleware",
    "boundaries.security.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with request.user from the session's own query (security/session_engine.py).
    "boundaries.security.session_engine.AuthenticationMiddleware",
    "boundaries.security.middleware.SessionLifetimeMiddleware",
    "boundaries.security.middleware.SecondFactorMiddleware",
    # Post checks, uploads and exports per person, by route name (security/rate_limits.py).
    "boundaries.security.rate_limits.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "boundaries.urls"
WSGI_APPLICATION = "boundaries.wsgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "django.template.context_processors.csp",
    "boundaries.core.layout.layout",
    # After Django's own csrf processor, which its engine always runs first: the same
    # token, masked with one read of the random source (security/csrf_tokens.py).
    "boundaries.security.csrf_tokens.csrf",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": _CONTEXT_PROCESSORS,
            # The second replaces Django's {% url %} with one that remembers addresses.
            "builtins": [
                "boundaries.policies.templatetags.policy_tags",
                "boundaries.core.reversing",
            ],
        },
    },
    {
        # The busiest pages (render(..., using="jinja2")): core/jinja.py says why.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "boundaries.core.jinja.environment",
            # As Django's less `request` (the backend adds it) and `auth` (`user`, `perms`:
            # unused here, and made for every page).
            "context_processors": [
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "boundaries.core.layout.layout",
                "boundaries.security.csrf_tokens.csrf",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'boundaries.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_secret("DATABASE_URL", _default_db),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
# The password alone, so the rest of the address can stay in the plain configuration.
if _database_password := env_secret("DATABASE_PASSWORD", ""):
    DATABASES["default"]["PASSWORD"] = _database_password
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Kept open like PostgreSQL's (DATABASE_CONN_MAX_AGE): Django opening a SQLite file costs
    # about 2 ms of CPU (it registers its SQL functions each time), more than a whole page.
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE makes writers queue at BEGIN, so the audit chain never forks.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["boundaries.core.auth_backend.UsernameOrEmailBackend"]
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
    # The product's, the person's organisations' and their authority's names (ASVS V6.2.11).
    {"NAME": "boundaries.security.passwords.ContextWordsValidator"},
    # Not a password seen in a breach (V6.2.12), from a local Pwned Passwords file.
    {"NAME": "boundaries.security.breached.BreachedPasswordValidator"},
    # No NumericPasswordValidator: ASVS 5.0 V6.2.5 allows any composition, digits alone too.
]
# The Pwned Passwords SHA-1 file (ordered by hash) new passwords are checked against;
# empty: not checked (security/breached.py).
BREACHED_PASSWORDS_FILE = env_str("BREACHED_PASSWORDS_FILE", "")
# Flash messages ride in the session: no `messages` cookie, which could not be `__Host-`.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60

# Database sessions, read in one query with the signed-in person and their roles.
SESSION_ENGINE = "boundaries.security.session_engine"
# Sessions end after SESSION_IDLE_MINUTES without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# Not every request: SessionLifetimeMiddleware renews a signed-in session's expiry at most
# once a minute, so idle expiry holds to the minute without a database write per request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# `__Host-` cookies: browsers accept them only over HTTPS, for this host alone, on path /.
SESSION_COOKIE_NAME = "__Host-sessionid" if PRODUCTION else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if PRODUCTION else "csrftoken"
CSRF_COOKIE_HTTPONLY = True
# The CSRF cookie lasts as long as the browser session, like the session cookie, instead
# of Django's year; so it is not sent again with every page to renew it (csrf_tokens.py).
CSRF_COOKIE_AGE = None
# A session also ends this many hours after sign-in, however active (security/middleware.py).
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 10)
# Failed sign-ins: lock a name after this many, an address after the second number.
SIGNIN_MAX_FAILURES = env_int("SIGNIN_MAX_FAILURES", 5)
SIGNIN_MAX_FAILURES_PER_ADDRESS = env_int("SIGNIN_MAX_FAILURES_PER_ADDRESS", 50)
SIGNIN_LOCKOUT_MINUTES = env_int("SIGNIN_LOCKOUT_MINUTES", 15)
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
# Changing a second factor and bulk exports need a sign-in this recent.
REAUTH_MINUTES = env_int("REAUTH_MINUTES", 10)
# Roles that give access to personal data must use a second factor. Deliberately not an
# environment variable: a deployment cannot switch it off (tests narrow it; see ADR 0008).
MFA_REQUIRED_ROLES = ["headteacher", "dsl", "hr", "line_manager", "authority_admin"]
# A deployment may widen that to every account (ASVS V6.3.3), never narrow it.
MFA_REQUIRED_FOR_EVERYONE = env_bool("MFA_REQUIRED_FOR_EVERYONE", False)
TOTP_ISSUER = env_str("TOTP_ISSUER", "Boundaries")
# Sign-in providers' addresses are fetched only over https and never on a private, loopback
# or link-local network unless their host is listed here (security/issuers.py).
OIDC_PRIVATE_ISSUER_HOSTS = env_list("OIDC_PRIVATE_ISSUER_HOSTS", [])
# Plain http to a provider on loopback (DEBUG allows it too). Not an environment variable:
# the tests turn it on for their provider on loopback (tests/conftest.py).
OIDC_ALLOW_LOOPBACK_HTTP = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# The API is refused over plain HTTP instead of redirected (security/transport.py).
SECURE_REDIRECT_EXEMPT = [r"^api/"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "uploads"

_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_email_backend = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if ENVIRONMENT == "development" else _SMTP,
)
_email_options: dict[str, object] = {}
if _email_backend == _SMTP:
    _email_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_secret("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        # Implicit TLS (port 465); production needs one of the two (security/deploy_checks.py).
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Boundaries <boundaries@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_PERMISSIONS = 0o640
# Any request body larger than this is refused with 413 before it is read.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 50 * 1024 * 1024)
# Requests per person or API token in each window (security/rate_limits.py); 0 is no limit.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATE_LIMIT_API_PER_MINUTE = env_int("RATE_LIMIT_API_PER_MINUTE", 120)
RATE_LIMIT_POST_CHECKS_PER_MINUTE = env_int("RATE_LIMIT_POST_CHECKS_PER_MINUTE", 20)
RATE_LIMIT_UPLOADS_PER_HOUR = env_int("RATE_LIMIT_UPLOADS_PER_HOUR", 60)
RATE_LIMIT_EXPORTS_PER_HOUR = env_int("RATE_LIMIT_EXPORTS_PER_HOUR", 60)
POLICY_UPLOAD_MAX_BYTES = env_int("POLICY_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# clamd (a socket path or host:port) that scans every upload; empty: no scan (security/malware.py).
CLAMD_ADDRESS = env_str("CLAMD_ADDRESS", "")
REVIEW_REMINDER_DAYS = env_int("REVIEW_REMINDER_DAYS", 30)
# A scheduled run still `running` after this long is taken over by another worker.
WORKER_LEASE_MINUTES = env_int("WORKER_LEASE_MINUTES", 30)
if WORKER_LEASE_MINUTES < 1:
    raise ImproperlyConfigured("WORKER_LEASE_MINUTES must be at least 1")

# The same lines also go to this syslog server: host:port (UDP) or a socket path.
LOG_SYSLOG_ADDRESS = env_str("LOG_SYSLOG_ADDRESS", "")
_log_handlers: dict[str, dict[str, object]] = {
    "console": {
        "class": "boundaries.core.logs.CurrentStderr",
        "formatter": "line",
        "filters": ["request"],
    },
}
if LOG_SYSLOG_ADDRESS:
    from boundaries.core.logs import syslog_address

    try:
        _log_handlers["syslog"] = {
            "class": "logging.handlers.SysLogHandler",
            "address": syslog_address(LOG_SYSLOG_ADDRESS),
            "formatter": "line",
            "filters": ["request"],
        }
    except ValueError as error:
        raise ImproperlyConfigured(str(error)) from None
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One line a record: UTC time (ISO 8601), level, logger, request, message (core/logs.py).
    "formatters": {"line": {"()": "boundaries.core.logs.UtcLineFormatter"}},
    "filters": {"request": {"()": "boundaries.core.logs.RequestIdFilter"}},
    "handlers": _log_handlers,
    "root": {"handlers": list(_log_handlers), "level": env_str("LOG_LEVEL", "INFO")},
}
