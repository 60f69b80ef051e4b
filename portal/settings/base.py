"""Settings shared by every environment. Secrets and services come from the environment only."""

from pathlib import Path

import dj_database_url
from boto3.s3.transfer import TransferConfig
from botocore.config import Config as BotoConfig
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_float, env_int, env_list, env_str
from .sso import sign_in_origins, sso_apps

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "trust",
    "home",
    "policy",
    "training",
    "casework",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    "trust.users_app.UsersConfig",  # wagtail.users, with the people screens of trust/admin_users.py
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "pgtrigger",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "trust.user_sessions.UserSessionsConfig",  # allauth.usersessions, its sign-in recorded in two statements
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.humanize",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # FORM_RENDERER below finds Django's own widget templates here
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.odd_addresses.NoNulInPathMiddleware",  # a NUL in the path: 404, before PostgreSQL is asked about it
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.csp.PortalCSPMiddleware",  # django-csp, with framing by 'self' for admin previews only
    "django.middleware.common.CommonMiddleware",
    "casework.uploads.UploadLimitMiddleware",  # before anything reads the body of a document upload
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "trust.middleware.RequireMFAMiddleware",
    "portal.admin_access.AdminAccessMiddleware",  # /admin/ without admin access: a 403 page, not a loop
    "portal.admin_ids.AdminIdsMiddleware",  # ids no record can have (choosers, bulk actions, filters): 404
    "trust.middleware.IdleSessionMiddleware",
    "trust.middleware.NoStoreForSignedInMiddleware",
    "casework.gate.CaseworkGateMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "trust.personal_pages.PersonalPageCacheMiddleware",
    "trust.storage_faults.StorageFaultMiddleware",
]

ROOT_URLCONF = "portal.urls"
# Widgets render through TEMPLATES, so templates/wagtailadmin/widgets/ overrides Wagtail's date pickers
# (started from static/js/admin-init.js, not from an inline script the CSP would block).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "trust.context_processors.memberships",
            ],
        },
    },
]

# The embedded default is SQLite; DATABASE_URL switches to PostgreSQL (or anything dj-database-url reads).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a small school: readers never wait for a writer (WAL), a writer waits
    # its turn (busy timeout) and takes the write lock at BEGIN (IMMEDIATE), so that a read that becomes a
    # write cannot fail with "database is locked" when several people sign in at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [  # Django's and allauth's, reading the signed-in person in SQL compiled once
    "trust.auth_backends.ModelBackend",
    "trust.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# --- Storage: S3 when a bucket is named, local files otherwise -------------------------------
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "region_name": env_str("AWS_S3_REGION_NAME", "eu-west-2"),
            "default_acl": None,  # objects stay private; reads need a signed URL
            "querystring_auth": True,
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 300),
            "file_overwrite": False,
            "signature_version": "s3v4",
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE"),  # "path" for most S3-compatible servers
        },
    }
# Every S3 client (django-storages reads AWS_S3_CLIENT_CONFIG): a file store that hangs or refuses is
# reported within seconds (trust/storage_faults.py shows a 503 page), never held for botocore's 60 s
# defaults and retries. AWS_S3_MAX_ATTEMPTS counts the first try: 1 means never retried behind the
# person's back (they are told to try again).
AWS_S3_CONNECT_TIMEOUT = env_float("AWS_S3_CONNECT_TIMEOUT", 3.0)
AWS_S3_READ_TIMEOUT = env_float("AWS_S3_READ_TIMEOUT", 3.0)
AWS_S3_MAX_ATTEMPTS = env_int("AWS_S3_MAX_ATTEMPTS", 1)
AWS_S3_CLIENT_CONFIG = BotoConfig(
    connect_timeout=AWS_S3_CONNECT_TIMEOUT,
    read_timeout=AWS_S3_READ_TIMEOUT,
    retries={"total_max_attempts": AWS_S3_MAX_ATTEMPTS, "mode": "standard"},
    signature_version="s3v4",
    s3={"addressing_style": env_str("AWS_S3_ADDRESSING_STYLE")},
)
AWS_S3_TRANSFER_CONFIG = TransferConfig(num_download_attempts=max(1, AWS_S3_MAX_ATTEMPTS))
# Wagtail documents go through a view that checks permission, never a public URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Cache: Redis when REDIS_URL is set --------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Django's RedisCache, keeping its Redis clients rather than making one per command (portal/redis_cache.py).
    CACHES = {"default": {"BACKEND": "portal.redis_cache.KeptClientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each person's copy of the pages that allow it (trust/personal_pages.py): only with a cache that every
# app server shares, or a change seen by one process would not reach the others.
PERSONAL_PAGE_CACHE = env_bool("PERSONAL_PAGE_CACHE", bool(REDIS_URL))
PERSONAL_PAGE_CACHE_SECONDS = env_int("PERSONAL_PAGE_CACHE_SECONDS", 300)

# --- Email: SMTP when EMAIL_HOST is set ---------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@symphony.example")

# --- Background tasks (django-tasks with the database backend) --------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Case audit: a keyed chain with anchors (casework/audit.py) ---------------------------------
# The HMAC-SHA256 key of the case audit chain. It is never stored in the database: without it nobody can
# rewrite the log and make it verify. Production refuses to start without it; dev and test set a fixed one.
CASE_AUDIT_HMAC_KEY = env_str("CASE_AUDIT_HMAC_KEY")
# The chain's head is anchored (an AuditAnchor row and a `casework.audit.anchor` log line) every N events.
CASE_AUDIT_ANCHOR_EVERY = env_int("CASE_AUDIT_ANCHOR_EVERY", 100)
if CASE_AUDIT_ANCHOR_EVERY < 1:
    raise ImproperlyConfigured("The environment variable CASE_AUDIT_ANCHOR_EVERY must be 1 or more.")

# --- Sign-in: django-allauth for everyone, MFA for sensitive roles ------------------------------
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/accounts/login/"
ACCOUNT_ADAPTER = "trust.auth.NoSignupAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Symphony staff portal] "
# Failed sign-ins are limited per account ("key"), never per address: a whole staff room signs in from
# one school address, and a flood of made-up addresses from it must not shut out a colleague with the
# right password. Every attempt, right or wrong, still counts against the address's overall limit.
ACCOUNT_RATE_LIMITS = {
    "login": "1000/m/ip",
    "login_failed": "5/5m/key",
    "reset_password": "60/m/ip,3/5m/key",
    "reset_password_from_key": "60/m/ip",
}
MFA_ADAPTER = "trust.auth.EncryptingMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Symphony staff portal"
MFA_ENCRYPTION_KEY = env_str("MFA_ENCRYPTION_KEY")  # defaults to a key derived from SECRET_KEY
# Activity tracking writes to the database on every request; the sessions list shows sign-in time and address.
USERSESSIONS_TRACK_ACTIVITY = False

# Single sign-on (portal/settings/sso.py; off while the SSO_* variables are unset). Only people already in
# the portal may use it (trust/sso.py); nobody is ever signed up by it.
SOCIALACCOUNT_ADAPTER = "trust.sso.ExistingStaffOnlyAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "trust.sso.CheckedOpenIDConnectProvider",
        "APPS": sso_apps(),
    }
}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # trust/sso.py matches the person itself, by a checked address
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10

# Passwords: Argon2id (trust/hashers.py); the others only verify older hashes, re-made at next sign-in.
PASSWORD_HASHERS = [
    "trust.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Sessions end after this many idle minutes (trust.middleware.IdleSessionMiddleware pushes the expiry
# on at most once a minute). With Redis, sessions are read from the cache and written through to the database.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
# Django's database sessions, a session made at sign-in written once rather than twice (trust/sessions.py).
SESSION_ENGINE = "trust.cached_sessions" if REDIS_URL else "trust.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],  # the Wagtail admin sets style attributes
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# Signing in with a provider posts to allauth, which redirects to the provider: form-action must allow it.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += sign_in_origins(SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"])

# --- Wagtail ------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Symphony Learning Trust staff portal"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL  # a page with a view restriction sends people to allauth
# No page or document passwords: their forms would be a way in without allauth's rate limits.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"password": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"password": False}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_USAGE_COUNT_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # passwords are managed through allauth
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = True

DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
        # The case audit anchors (`case_audit_anchor id=… hash=… at=…`): the copy of the chain's head kept
        # outside the database. Always logged, whatever LOG_LEVEL says; keep these lines.
        "casework.audit.anchor": {"level": "INFO"},
    },
}
