"""A first start that just works (issue 18, item 3): the doors a new person meets."""

import pytest

from conftest import sign_in

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_offers_no_sign_up(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Sign In" in html
    assert "sign up" not in html.lower() and "/accounts/signup/" not in html
    assert "Accounts are made by your trust" in html


def test_a_signed_in_person_without_admin_access_is_told_so_at_the_admin(client, personas):
    sign_in(client, personas.staff)
    for url in ("/admin/", "/admin/pages/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You do not have access to the admin" in response.content.decode()


def test_the_admin_still_opens_for_the_executive_head_and_sends_the_anonymous_to_sign_in(client, personas):
    assert "/accounts/login/" in client.get("/admin/").url
    sign_in(client, personas.head)
    assert client.get("/admin/").status_code == 200


def test_the_accessibility_statement_is_readable_without_signing_in(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    assert "Accessibility statement" in response.content.decode()
