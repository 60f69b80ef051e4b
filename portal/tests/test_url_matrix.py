"""Every URL the project serves × every persona. A URL with no expectation fails the suite."""

from importlib import import_module

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import sign_in
from portal.tests.access import PERSONAS, Covered, Expect

APPS_WITH_EXPECTATIONS = ["trust", "home", "policy", "training", "casework", "search"]


def _load(attr):
    items = []
    for app in APPS_WITH_EXPECTATIONS:
        try:
            module = import_module(f"{app}.tests.url_expectations")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, attr, []))
    return items


EXPECTATIONS: list[Expect] = _load("EXPECTATIONS")
COVERED: list[Covered] = _load("COVERED")
OWN_ADMIN_PREFIXES: list[str] = _load("OWN_ADMIN_PREFIXES")


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def all_routes():
    return sorted(set(_walk(get_resolver().url_patterns)))


def test_every_url_the_project_serves_has_an_expectation():
    expected = {e.route for e in EXPECTATIONS}
    missing = [
        route
        for route in all_routes()
        if route not in expected and not any(c.covers(route, OWN_ADMIN_PREFIXES) for c in COVERED)
    ]
    assert not missing, "URLs with no access expectation:\n" + "\n".join(missing)


def test_every_expectation_states_how_each_refused_persona_is_refused():
    """A new URL must say who gets a 404 (outside their scope) and who a 403, not leave any refusal to pass."""
    unstated = [e.route or "/" for e in EXPECTATIONS if e.not_found is None and not e.anonymous_ok]
    assert not unstated, "Expectations without not_found= (use frozenset() when nobody gets a 404):\n" + "\n".join(
        unstated
    )


def test_no_persona_is_both_allowed_and_refused():
    muddled = [
        e.route or "/"
        for e in EXPECTATIONS
        if (e.not_found or frozenset()) & e.allowed
        or e.method_not_allowed & e.allowed
        or (e.not_found or frozenset()) & e.method_not_allowed
    ]
    assert not muddled, "Expectations naming a persona in two of allowed, not_found and method_not_allowed:\n" + (
        "\n".join(muddled)
    )


@pytest.fixture
def world(personas, django_db_blocker):
    world = {"personas": personas}
    for app in APPS_WITH_EXPECTATIONS:
        try:
            module = import_module(f"{app}.tests.url_expectations")
        except ModuleNotFoundError:
            continue
        build = getattr(module, "build_world", None)
        if build:
            world.update(build(personas) or {})
    return world


def _refused(response):
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        # Wagtail's admin answers a refusal with a redirect to its dashboard and a message.
        return "/accounts/login/" in response.url or response.url in ("/admin/", "/admin/login/")
    return False


def _refused_with(response) -> int | None:
    """403, 404 or 405 as the person experiences it: Wagtail's redirect to its dashboard is its 403."""
    if response.status_code in (403, 404, 405):
        return response.status_code
    if response.status_code == 302 and response.url == "/admin/":
        return 403
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("expect", EXPECTATIONS, ids=lambda e: e.route or "/")
def test_each_persona_gets_exactly_what_their_role_allows(client, world, expect):
    url = expect.resolve(world)
    anonymous = client.get(url)
    if expect.anonymous_ok:
        assert anonymous.status_code in expect.allowed_status, f"anonymous {url}: {anonymous.status_code}"
    else:
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url, f"anonymous reached {url}"
    for name in PERSONAS:
        client.logout()
        sign_in(client, getattr(world["personas"], name))
        response = client.get(url)
        if name in expect.allowed or expect.anonymous_ok:
            assert response.status_code in expect.allowed_status, f"{name} {url}: {response.status_code}"
        else:
            assert _refused(response), f"{name} reached {url}: {response.status_code}"
            expected = expect.refusal_for(name)
            if expected is not None:
                got = _refused_with(response)
                assert got == expected, f"{name} {url}: refused with {got or response.status_code}, not {expected}"
