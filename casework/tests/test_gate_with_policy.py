"""The gate against the real policy app: the policy the executive head chose, on every casework URL."""

import pytest

from conftest import sign_in
from policy import audience
from policy.tests.factories import choose_as_gate_policy, make_policy


@pytest.fixture
def children_in_care_policy(personas):
    return choose_as_gate_policy(make_policy(title="Our looked-after children policy"))


def test_a_designated_teacher_who_has_not_acknowledged_the_policy_is_shown_it_instead_of_casework(
    client, personas, children_in_care_policy
):
    sign_in(client, personas.dt)
    response = client.get("/casework/")
    assert response.status_code == 403
    assert f'href="{children_in_care_policy.url}?next=%2Fcasework%2F"' in response.content.decode()


def test_acknowledging_the_current_version_opens_casework(client, personas, children_in_care_policy):
    sign_in(client, personas.dt)
    page = children_in_care_policy
    client.post(page.url + "acknowledge/", {"revision": page.live_revision_id, "statement": "on"})
    assert client.get("/casework/").status_code == 200


def _casework_routes():
    """Every route of the casework section and the casework admin, its parameters filled with a number."""
    import re

    from portal.tests.test_url_matrix import all_routes

    for route in all_routes():
        route = re.sub(r"\(\?P<[^>]+>[^)]+\)", "1", route.replace("^", "").replace("$", ""))
        route = re.sub(r"<(?:int:|str:|path:)?[^>]+>", "1", route)
        if route.startswith(("casework/", "admin/casework/")) and not route.startswith("casework/receive/"):
            yield "/" + route


def test_the_gate_stands_in_front_of_every_casework_url_and_the_casework_admin(client, personas, children_in_care_policy):
    urls = list(_casework_routes())
    assert "/casework/access-log/" in urls and "/casework/children/1/access-log/" in urls
    assert "/admin/casework/child/" in urls and "/admin/casework/pep/edit/1/" in urls
    sign_in(client, personas.dt)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert f'href="{children_in_care_policy.url}?next=' in response.content.decode(), url
        assert "no-store" in response["Cache-Control"], url


def test_the_access_log_shows_no_child_before_the_policy_is_acknowledged(client, personas, children_in_care_policy):
    from casework.tests.factories import ChildFactory

    child = ChildFactory(school=personas.brook, legal_first_name="Zinnia", legal_last_name="Quartermaine")
    sign_in(client, personas.dt)
    for url in ("/casework/access-log/", f"/casework/children/{child.pk}/access-log/"):
        page = client.get(url).content.decode()
        assert "Zinnia" not in page and "Quartermaine" not in page


def test_a_policy_titled_children_in_care_gates_nothing_unless_the_head_chose_it(client, personas):
    make_policy(title="Children in Care policy", slug="children-in-care")
    sign_in(client, personas.dt)
    assert client.get("/casework/").status_code == 200


def test_the_gate_stays_closed_when_the_policy_cannot_be_checked(client, personas, children_in_care_policy, monkeypatch):
    def broken(user, page):
        raise RuntimeError("the policy app is broken")

    monkeypatch.setattr(audience, "status_for", broken)
    sign_in(client, personas.dt)
    for url in ("/casework/", "/casework/access-log/", "/admin/casework/child/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "could not check whether you have acknowledged" in response.content.decode()


def test_the_executive_head_chooses_the_gate_policy_in_settings(client, personas, children_in_care_policy):
    from casework import gate

    other = make_policy(title="Virtual school partnership policy")
    sign_in(client, personas.head)
    url = client.get("/admin/settings/policy/caseworkgatesettings/", follow=True).redirect_chain[-1][0]
    assert client.post(url, {"children_in_care_policy": other.pk}).status_code == 302
    assert gate.children_in_care_policy() == other
    client.logout()
    sign_in(client, personas.admin)  # the trust administrator does not decide what staff must read
    refused = client.get(url)
    assert refused.status_code == 403 or (refused.status_code == 302 and refused.url == "/admin/")
