"""Production settings as `make bench` runs them on 127.0.0.1: plain HTTP, the demo data allowed."""

import os

os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SHARED_CACHE", "database")  # when no REDIS_URL: the runner creates the table

from .production import *  # noqa: E402,F403

DEMO_ALLOWED = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# The bench signs in thousands of people from 127.0.0.1, standing in for fifty schools' own addresses:
# the per-address limit on sign-ins is raised here only (the per-account limit on failures stays).
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "100000/m/ip"}  # noqa: F405
