"""Production: refuses to start without its secrets, PostgreSQL and its host names."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL
from .env import env_bool, env_int, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY", required=True)
# The case audit chain's HMAC key (casework/audit.py): kept in the environment, never in the database.
CASE_AUDIT_HMAC_KEY = env_str("CASE_AUDIT_HMAC_KEY", required=True)
if len(CASE_AUDIT_HMAC_KEY) < 32:
    raise ImproperlyConfigured(
        "The environment variable CASE_AUDIT_HMAC_KEY must be at least 32 characters (a random secret)."
    )
if CASE_AUDIT_HMAC_KEY == SECRET_KEY:
    raise ImproperlyConfigured("The environment variable CASE_AUDIT_HMAC_KEY must not be the same as SECRET_KEY.")
env_str("DATABASE_URL", required=True)
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("The environment variable DATABASE_URL must point at PostgreSQL (postgres://…).")
# Each worker keeps its connection (checked before reuse) instead of opening one per request: opening
# one costs more than a whole cached page.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Rate limits, lockouts and used TOTP codes live in the cache: each worker keeping its own would let a
# code be replayed at another worker and multiply every limit by the number of workers.
SHARED_CACHE = "redis" if REDIS_URL else env_str("SHARED_CACHE", "")
if SHARED_CACHE == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}
elif SHARED_CACHE != "redis":
    raise ImproperlyConfigured(
        "Production needs a cache that every worker shares: set REDIS_URL (redis://…), or set "
        "SHARED_CACHE=database and run `manage.py createcachetable`."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS must be set (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DEBUG = False
DEMO_ALLOWED = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
CSRF_COOKIE_HTTPONLY = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
}
