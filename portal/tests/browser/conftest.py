"""Browser journeys: Playwright driving Debian's Chromium (never `playwright install`)."""

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _serve_one_request_at_a_time():
    """On SQLite the live server shares the test's in-memory connection: a threaded server would let
    two browser requests (a page and the admin's icon sprite, say) use it at once. Serve them in turn."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)  # the server thread already holds the shared connection

    if connection.vendor == "sqlite":
        LiveServerThread.server_class = SerialWSGIServer


_serve_one_request_at_a_time()


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium): browser journeys skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def chromium(transactional_db):
    # One browser a test, started after the database is ready: Playwright's event loop must not be
    # running while Django restores the migrated data (serialized_rollback) for the next test.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def serious_violations(page):
    """axe-core's serious and critical violations on the page as it stands, every node of each."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (make test does)")
    # Evaluated through the DevTools protocol, so the site's strict CSP stays in force.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [
                {"target": n["target"], "html": n["html"][:300], "why": n.get("failureSummary", "")}
                for n in v["nodes"]
            ],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page):
    """axe-core finds no serious or critical violation on the page as it stands."""
    serious = [
        {**v, "nodes": [n["target"] for n in v["nodes"]][:3]} for v in serious_violations(page)
    ]
    assert not serious, f"{page.url}: " + json.dumps(serious, indent=1)


def assert_reflows_at_320(page):
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px wide"
    page.set_viewport_size({"width": 1280, "height": 900})
