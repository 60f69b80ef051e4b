"""The grace period after a material change, and the way back to casework after acknowledging."""

import datetime as dt

import pytest
import time_machine

from conftest import sign_in
from policy.models import ReadReceipt
from policy.tests.factories import choose_as_gate_policy, make_policy, publish_change
from training.tests.briefing_helpers import acknowledge

pytestmark = pytest.mark.django_db

PUBLISHED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
CHANGED = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # Monday: version 2, due 10 working days later
WITHIN = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
DUE_DAY = dt.datetime(2026, 12, 7, 15, 0, tzinfo=dt.UTC)
AFTER = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)
BANNER = "acknowledge it by Monday 7 December 2026"


@pytest.fixture
def policy(personas):
    with time_machine.travel(PUBLISHED, tick=False):
        page = choose_as_gate_policy(make_policy(title="Our looked-after children policy"))
        acknowledge(personas.dt, page)
        acknowledge(personas.delegate, page)
    with time_machine.travel(CHANGED, tick=False):
        page, _ = publish_change(page, material=True, summary="New PEP timescales.")
    return page


def visit(client, person, url, when):
    with time_machine.travel(when, tick=False):
        sign_in(client, person)
        return client.get(url)


@pytest.mark.parametrize("when", [WITHIN, DUE_DAY])
def test_a_material_change_leaves_casework_open_until_the_acknowledgement_is_due_with_a_banner(
    client, personas, policy, when
):
    response = visit(client, personas.dt, "/casework/", when)
    html = response.content.decode()
    assert response.status_code == 200
    assert BANNER in html and "Version 2 of <strong>Our looked-after children policy</strong>" in html
    assert f'href="{policy.url}?next=%2Fcasework%2F"' in html


def test_the_casework_admin_says_the_same_while_in_grace(client, personas, policy):
    response = visit(client, personas.dt, "/admin/casework/child/", WITHIN)
    assert response.status_code == 200
    assert "acknowledge it by Monday 7 December 2026" in response.content.decode()


def test_after_the_due_day_casework_closes_until_acknowledged(client, personas, policy):
    response = visit(client, personas.dt, "/casework/", AFTER)
    assert response.status_code == 403
    assert "Read and acknowledge Our looked-after children policy" in response.content.decode()


def test_someone_who_never_acknowledged_any_version_has_no_grace(client, personas, policy):
    response = visit(client, personas.dt_castle, "/casework/", WITHIN)
    assert response.status_code == 403


def test_a_delegate_keeps_casework_in_grace_too(client, personas, policy):
    from casework.gate import gate_for, grace_for

    with time_machine.travel(WITHIN, tick=False):
        assert gate_for(personas.delegate) is None  # open
        grace = grace_for(personas.delegate)
    assert grace is not None and grace.due_on == dt.date(2026, 12, 7)


def test_acknowledging_from_the_gate_returns_to_the_casework_page(client, personas, policy):
    with time_machine.travel(AFTER, tick=False):
        sign_in(client, personas.dt)
        gate = client.get("/casework/access-log/")
        assert gate.status_code == 403
        assert f'href="{policy.url}?next=%2Fcasework%2Faccess-log%2F"' in gate.content.decode()
        page = client.get(policy.url, {"next": "/casework/access-log/"}).content.decode()
        assert '<input type="hidden" name="next" value="/casework/access-log/">' in page
        done = client.post(
            policy.url + "acknowledge/",
            {"revision": policy.live_revision_id, "statement": "on", "next": "/casework/access-log/"},
        )
        assert done.status_code == 302 and done.url == "/casework/access-log/"
        assert client.get("/casework/access-log/").status_code == 200
    assert ReadReceipt.objects.filter(user=personas.dt, version_number=2).exists()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/casework/", "//evil.example/", "javascript:alert(1)", "http://testserver.evil/"]
)
def test_a_next_to_another_site_is_ignored(client, personas, policy, next_url):
    with time_machine.travel(WITHIN, tick=False):
        sign_in(client, personas.dt)
        page = client.get(policy.url, {"next": next_url}).content.decode()
        assert 'name="next"' not in page
        done = client.post(
            policy.url + "acknowledge/", {"revision": policy.live_revision_id, "statement": "on", "next": next_url}
        )
    assert done.status_code == 302 and done.url == policy.url
