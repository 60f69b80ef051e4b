"""The real Children in Care gate (casework.gate, nothing replaced): the policy the executive head chose, its
current version, and each person's own receipt decide, in front of /casework/ and the casework admin alike."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import sign_in
from policy.tests.factories import choose_as_gate_policy, make_policy

from .factories import ChildFactory, PEPFactory, add_terms

pytestmark = pytest.mark.django_db

FRONT_AND_ADMIN = ("/casework/", "/admin/casework/child/")


@pytest.fixture
def gate_policy(personas):
    return choose_as_gate_policy(make_policy(title="Our looked-after children policy", slug="looked-after"))


def _acknowledge(client, page):
    response = client.post(page.url + "acknowledge/", {"revision": page.live_revision_id, "statement": "on"})
    assert response.status_code in (200, 302)


def test_until_acknowledged_the_front_end_and_the_admin_show_the_chosen_policy_and_its_version(
    client, personas, gate_policy
):
    sign_in(client, personas.dt)
    for url in FRONT_AND_ADMIN:
        response = client.get(url)
        assert response.status_code == 403, url
        page = response.content.decode()
        assert "Our looked-after children policy" in page, url
        assert "(version 1)" in page, url
        assert f'href="{gate_policy.url}?next=' in page, url


def test_acknowledging_opens_the_front_end_and_the_admin(client, personas, gate_policy):
    sign_in(client, personas.dt)
    _acknowledge(client, gate_policy)
    for url in FRONT_AND_ADMIN:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Read the Children in Care policy before opening casework" not in response.content.decode(), url


def test_one_persons_acknowledgement_opens_casework_for_them_alone(client, personas, gate_policy):
    sign_in(client, personas.dt)
    _acknowledge(client, gate_policy)
    client.logout()
    sign_in(client, personas.dt_castle)
    for url in FRONT_AND_ADMIN:
        assert client.get(url).status_code == 403, url


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_the_casework_home_behind_the_open_gate_takes_the_same_queries_for_few_and_many_children(
    client, personas, gate_policy
):
    for school in (personas.brook, personas.meadow):
        add_terms(school, 2026)
    sign_in(client, personas.dt)
    _acknowledge(client, gate_policy)

    def queries_for_home():
        client.get("/casework/")  # warm the session and the content types
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/casework/").status_code == 200
        return len(captured)

    counts = []
    for added in (1, 6):
        for i in range(added):
            PEPFactory(child=ChildFactory(school=personas.brook if i % 2 else personas.meadow))
        counts.append(queries_for_home())
    assert counts[0] == counts[1], counts
