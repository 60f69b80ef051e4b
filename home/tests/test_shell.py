import re

import pytest

from conftest import sign_in

pytestmark = pytest.mark.django_db


def test_health_live_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_ready_reports_database_and_storage(client):
    response = client.get("/health/ready")
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


def test_the_layout_has_a_skip_link_landmarks_and_the_persons_name_roles_and_schools(client, personas):
    sign_in(client, personas.dt)
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    for landmark in ('<header class="site-header" role="banner">', '<nav class="site-nav" aria-label="Main">', '<main id="main"', 'role="contentinfo"'):
        assert landmark in html
    assert personas.dt.get_full_name() in html
    assert "Designated teacher, Brook Primary School" in html
    assert "Designated teacher, Meadow Primary School" in html
    assert 'action="/accounts/logout/"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_no_asset_comes_from_another_site(client, personas):
    sign_in(client, personas.staff)
    html = client.get("/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//")) and "testserver" not in s]


def test_signed_in_pages_are_never_stored_by_a_cache_and_carry_security_headers(client, personas):
    sign_in(client, personas.staff)
    response = client.get("/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_an_unknown_page_answers_404_with_a_plain_message(client, personas):
    sign_in(client, personas.staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
