"""Production settings refuse to start without their secrets, and name what is missing."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

GOOD = {
    "SECRET_KEY": "a-long-production-like-secret-key-0123456789-abcdefghijklmnop",
    "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
    "ALLOWED_HOSTS": "portal.symphony.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "CASE_AUDIT_HMAC_KEY": "a-long-production-like-case-audit-key-0123456789-abcdefgh",
}


def load_production(expression="settings.DEBUG", **env):
    ours = {*GOOD, "DJANGO_SETTINGS_MODULE", "SHARED_CACHE", "PERSONAL_PAGE_CACHE", "DB_CONN_MAX_AGE"}
    base = {k: v for k, v in os.environ.items() if k not in ours}
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "portal.settings.production", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_production_starts_with_every_variable_set():
    result = load_production(**GOOD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_keeps_database_connections_and_checks_them_before_reuse():
    database = 'settings.DATABASES["default"]'
    result = load_production(f'{database}["CONN_MAX_AGE"], {database}["CONN_HEALTH_CHECKS"]', **GOOD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "60 True"


def test_personal_page_copies_are_on_with_redis_and_can_be_switched_off():
    shared = load_production("settings.PERSONAL_PAGE_CACHE", **GOOD)
    off = load_production("settings.PERSONAL_PAGE_CACHE", **GOOD, PERSONAL_PAGE_CACHE="false")
    assert (shared.stdout.strip(), off.stdout.strip()) == ("True", "False"), shared.stderr + off.stderr


def test_production_refuses_to_start_without_a_cache_every_worker_shares():
    without = {k: v for k, v in GOOD.items() if k != "REDIS_URL"}
    result = load_production(**without)
    assert result.returncode != 0
    assert "Production needs a cache that every worker shares: set REDIS_URL" in result.stderr
    database = load_production('settings.CACHES["default"]["BACKEND"]', **without, SHARED_CACHE="database")
    assert database.stdout.strip() == "django.core.cache.backends.db.DatabaseCache", database.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "CASE_AUDIT_HMAC_KEY"])
def test_production_refuses_to_start_and_names_the_missing_variable(missing):
    env = {k: v for k, v in GOOD.items() if k != missing}
    result = load_production(**env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_a_short_case_audit_key_or_one_that_is_the_secret_key():
    short = load_production(**{**GOOD, "CASE_AUDIT_HMAC_KEY": "too-short"})
    assert short.returncode != 0
    assert "CASE_AUDIT_HMAC_KEY must be at least 32 characters" in short.stderr
    same = load_production(**{**GOOD, "CASE_AUDIT_HMAC_KEY": GOOD["SECRET_KEY"]})
    assert same.returncode != 0
    assert "CASE_AUDIT_HMAC_KEY must not be the same as SECRET_KEY" in same.stderr


def test_production_reads_the_case_audit_key_from_the_environment():
    result = load_production("settings.CASE_AUDIT_HMAC_KEY", **GOOD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == GOOD["CASE_AUDIT_HMAC_KEY"]


def test_production_refuses_sqlite():
    result = load_production(**{**GOOD, "DATABASE_URL": "sqlite:///tmp/x.db"})
    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def test_production_never_loads_the_demo_trust():
    code = "import django; django.setup(); from django.core.management import call_command; call_command('load_demo')"
    base = {k: v for k, v in os.environ.items() if k not in GOOD and k != "SHARED_CACHE"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **GOOD, "DJANGO_SETTINGS_MODULE": "portal.settings.production"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode != 0
    assert "never loaded under production settings" in result.stderr


def test_a_worker_moves_what_it_loaded_out_of_the_collectors_generations():
    """portal/wsgi.py freezes what is loaded at start (gc.freeze): collections no longer walk Django and Wagtail."""
    base = {k: v for k, v in os.environ.items() if k not in {*GOOD, "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "-c", "import gc, portal.wsgi; print(gc.get_freeze_count() > 10_000)"],
        env={**base, "DJANGO_SETTINGS_MODULE": "portal.settings.production", **GOOD},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
