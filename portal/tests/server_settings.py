"""Settings for the app servers a test starts with gunicorn (portal/tests/app_servers.py).

The bench settings, which are the production settings on plain HTTP, with two test-only changes:
the collected static files go to a folder of the test run's own (production's manifest storage needs
them), and the cache keys get the run's own prefix so a Redis shared with anything else never mixes.
"""

import os

from portal.settings.bench import *  # noqa: F403
from portal.settings.bench import CACHES

STATIC_ROOT = os.environ["PORTAL_TEST_STATIC_ROOT"]
CACHES["default"]["KEY_PREFIX"] = os.environ.get("PORTAL_TEST_CACHE_PREFIX", "")
