"""Every `next` the portal reads keeps a person on the portal: a link in a phishing email that signs someone in,
or has them acknowledge a policy or save a child's record, never sends them to another site afterwards.

Checked by the side-door sweep and pinned here (none was open): allauth's sign-in, the policy acknowledgement's
`next` (policy/next_url.py) and the casework edit's return address (casework/admin_views.py `return_to`).
"""

import datetime

import pytest

from casework.tests.factories import ChildFactory
from conftest import sign_in
from policy.tests.conftest import acknowledge_url
from policy.tests.factories import make_policy
from trust.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    " //evil.example/",
    "javascript:alert(1)",
]


def stays_on_site(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\")) and "evil.example" not in location


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_in_never_sends_anyone_off_site(client, personas, target):
    response = client.post("/accounts/login/", {"login": personas.staff.email, "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert stays_on_site(response.url), response.url


@pytest.mark.parametrize("target", OFF_SITE)
def test_acknowledging_a_policy_never_sends_anyone_off_site(client, personas, target):
    page = make_policy("Side door policy", slug="side-door-policy")
    sign_in(client, personas.staff)
    response = client.post(
        acknowledge_url(page), {"revision": page.live_revision_id, "statement": "on", "next": target}
    )
    assert response.status_code == 302
    assert stays_on_site(response.url), response.url


def test_acknowledging_a_policy_still_returns_to_a_page_on_the_portal(client, personas):
    page = make_policy("Side door policy", slug="side-door-policy")
    sign_in(client, personas.staff)
    response = client.post(
        acknowledge_url(page), {"revision": page.live_revision_id, "statement": "on", "next": "/policies/"}
    )
    assert response.status_code == 302 and response.url == "/policies/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_childs_edit_form_never_carries_an_off_site_return_address(client, personas, target):
    child = ChildFactory(school=personas.brook, legal_first_name="Brooklyn", started_on=datetime.date(2025, 9, 3))
    sign_in(client, personas.dt)
    response = client.get(f"/admin/casework/child/edit/{child.pk}/", {"next": target})
    assert response.status_code == 200
    assert b"evil.example" not in response.content and b"javascript:alert" not in response.content
