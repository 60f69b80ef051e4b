"""Settings for the test suite: fast hashing, locmem email, no outside calls."""

from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY  # noqa: F401

SECRET_KEY = "test-only-not-secret-8c2d4e6f"  # noqa: S105
CASE_AUDIT_HMAC_KEY = "test-only-case-audit-key-not-secret-3b9e1a7c"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DEMO_ALLOWED = True
WAGTAILADMIN_BASE_URL = "http://testserver"
# One process and one cache: the personal page copies are safe here, and every test runs with them on.
PERSONAL_PAGE_CACHE = True
