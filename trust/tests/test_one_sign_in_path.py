"""Every way to sign in goes through allauth: its rate limits, its lockout and its MFA stage.

Any other view that could make a session (Wagtail's front-end login, its page and document password
forms, Django's auth views) answers 404 or sends the person to allauth's sign-in, keeping `next`.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from conftest import sign_in
from trust.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN_WORDS = ("login", "signin", "sign-in", "signup", "authenticate", "password")


def _walk(patterns, prefix=""):
    """Every (route, view) the URL conf holds, shadowed ones included."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def _view(callback):
    return getattr(callback, "view_class", callback)


def _is_allauths(callback) -> bool:
    return _view(callback).__module__.startswith("allauth.")


def _could_make_a_session(route, callback) -> bool:
    view = _view(callback)
    if isinstance(view, type) and issubclass(view, auth_views.LogoutView):
        return False  # it ends a session
    if any(cls.__module__ == auth_views.__name__ for cls in getattr(view, "__mro__", [view])):
        return True
    return any(word in route.lower() for word in SIGN_IN_WORDS)


def sign_in_candidates():
    return [(route, cb) for route, cb in _walk(get_resolver().url_patterns) if _could_make_a_session(route, cb)]


def _sample_url(route):
    url = "/" + re.sub(r"<int:\w+>", "1", route)
    url = re.sub(r"<(\w+:)?\w+>", "x", url)
    assert not re.search(r"[\^$()\[\]\\?*+]", url), f"give the sign-in route {route!r} a sample URL in this test"
    return url


def _answers_404_or_sends_to_allauth(response, *next_paths):
    if response.status_code == 404:
        return True
    if response.status_code != 302:
        return False
    target = urlsplit(response.url)
    return target.path == reverse("account_login") and parse_qs(target.query).get("next", [None])[0] in next_paths


CREDENTIALS = {"login": "", "username": "", "email": "", "password": PASSWORD, "password1": PASSWORD}


def _post_credentials(client, url, user):
    data = {key: (value or user.email) for key, value in CREDENTIALS.items()}
    return client.post(url, data)


@pytest.mark.parametrize("who", ["staff", "head"])
def test_a_correct_password_at_wagtails_front_end_login_makes_no_session(client, personas, who):
    user = getattr(personas, who)
    response = client.post("/_util/login/", {"username": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (302, 404)
    assert client.get("/").url.startswith("/accounts/login/")


def test_wagtails_front_end_login_sends_people_to_allauth_keeping_next(client, db):
    response = client.get("/_util/login/?next=/policies/")
    assert response.status_code == 302 and response.url == "/accounts/login/?next=/policies/"


def test_an_account_allauth_has_locked_cannot_sign_in_at_wagtails_login(client, personas):
    for _ in range(5):
        client.post("/accounts/login/", {"login": personas.staff.email, "password": "wrong-password"})
    client.post("/_util/login/", {"username": personas.staff.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("route,callback", sign_in_candidates(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_view_that_could_sign_someone_in_is_allauths_or_leads_there(client, personas, route, callback):
    if _is_allauths(callback):
        return  # allauth's own screens: sign-in, its MFA stage, reset; signup is closed (test_sign_in.py)
    url = _sample_url(route)
    answering = resolve(url).func
    if _is_allauths(answering):
        return
    asked = f"{url}?next=/policies/"
    described = f"{route} ({_view(answering).__module__}.{_view(answering).__name__})"
    # Signed out: 404, or allauth's sign-in, keeping `next` (or coming back here, if the site-wide
    # sign-in requirement stopped the request first: the signed-in case below then decides).
    for response in (client.get(asked), _post_credentials(client, asked, personas.staff)):
        assert _answers_404_or_sends_to_allauth(response, "/policies/", asked), f"{described} answers without allauth"
        assert "_auth_user_id" not in client.session, f"{described} signed someone in without allauth"
    # Signed in: still no form of its own.
    sign_in(client, personas.staff)
    for response in (client.get(asked), _post_credentials(client, asked, personas.governor)):
        assert _answers_404_or_sends_to_allauth(response, "/policies/"), f"{described} answers a signed-in person"
    assert int(client.session["_auth_user_id"]) == personas.staff.pk


def test_the_walk_finds_the_sign_in_views_it_must_guard():
    routes = {route for route, _ in sign_in_candidates()}
    assert {"_util/login/", "admin/login/", "accounts/login/"} <= routes
    assert any(r.startswith("_util/authenticate_with_password/") for r in routes)


def test_a_page_password_opens_nothing(client, personas):
    # A password restriction left in the database (the admin no longer offers them) is not a way in.
    from wagtail.models import PageViewRestriction

    from policy.tests.factories import make_policy

    page = make_policy("Passworded policy")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="password", password="letmein")
    sign_in(client, personas.staff)
    posted = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/", {"password": "letmein", "return_url": page.url}
    )
    assert posted.status_code == 404
    assert "Passworded policy" not in client.get(page.url).content.decode()
