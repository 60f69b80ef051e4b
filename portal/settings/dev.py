"""The embedded default for `make run`: SQLite, local files, console email, the demo trust."""

from .base import *  # noqa: F403
from .env import env_list, env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-not-secret-5f1c0b7e4d9a")
CASE_AUDIT_HMAC_KEY = env_str("CASE_AUDIT_HMAC_KEY", "dev-only-case-audit-key-not-secret-6d2f8a4e")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
DEMO_ALLOWED = True
# `make run` starts no task worker: queued tasks (search indexing on publish, emails, reminders) run at once,
# inside the request that queues them. Production runs workers on the database backend (see README).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
