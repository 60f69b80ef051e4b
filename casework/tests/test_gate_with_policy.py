"""The gate against the real policy app (skipped if the policy app is not there yet)."""

import pytest

from conftest import sign_in

factories = pytest.importorskip("policy.tests.factories")


@pytest.fixture
def children_in_care_policy(personas):
    return factories.make_policy(title="Children in Care policy")


def test_a_designated_teacher_who_has_not_acknowledged_the_policy_is_shown_it_instead_of_casework(
    client, personas, children_in_care_policy
):
    sign_in(client, personas.dt)
    response = client.get("/casework/")
    assert response.status_code == 403
    assert f'href="{children_in_care_policy.url}"' in response.content.decode()


def test_acknowledging_the_current_version_opens_casework(client, personas, children_in_care_policy):
    sign_in(client, personas.dt)
    page = children_in_care_policy
    client.post(page.url + "acknowledge/", {"revision": page.live_revision_id, "statement": "on"})
    assert client.get("/casework/").status_code == 200
