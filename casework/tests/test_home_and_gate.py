import datetime

import pytest
import time_machine

from casework import gate
from casework.enums import PEPStatus
from casework.models import PEP
from conftest import sign_in
from policy.tests.factories import choose_as_gate_policy, make_policy

from .factories import (
    CaseDocumentFactory,
    ChildFactory,
    PEPFactory,
    ReviewFactory,
    TargetFactory,
    TransitionFactory,
    add_terms,
)


def acknowledge(client, page):
    response = client.post(page.url + "acknowledge/", {"revision": page.live_revision_id, "statement": "on"})
    assert response.status_code in (200, 302)


@pytest.fixture
def terms(personas):
    for school in (personas.brook, personas.meadow, personas.castle):
        add_terms(school, 2026)


def _children(personas, n):
    for i in range(n):
        school = personas.brook if i % 2 else personas.meadow
        child = ChildFactory(school=school, started_on=datetime.date(2026, 9, 7))
        pep = PEPFactory(child=child)
        TargetFactory(pep=pep, by_when=datetime.date(2026, 11, 2))
        if i % 3:  # signed off once its target is in (a signed-off PEP is locked)
            PEP.objects.filter(pk=pep.pk).update(status=PEPStatus.SIGNED_OFF)
        ReviewFactory(child=child, held_on=datetime.date(2026, 12, 8))
        TransitionFactory(child=child)
        CaseDocumentFactory.build(child=child)


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize("size", [2, 12])
def test_the_casework_home_uses_the_same_number_of_queries_whatever_the_data(
    client, personas, terms, django_assert_num_queries, size
):
    choose_as_gate_policy(make_policy(title="Our looked-after children policy", slug="looked-after"))
    _children(personas, size)
    sign_in(client, personas.dt)
    acknowledge(client, gate.children_in_care_policy())
    client.get("/casework/")  # the first view works out the gate and the deadlines, and keeps them
    with django_assert_num_queries(HOME_QUERIES):  # from another address: logged again
        response = client.get("/casework/", REMOTE_ADDR="192.0.2.20")
    with django_assert_num_queries(HOME_REFRESH_QUERIES):  # a refresh within the minute: logged already
        refreshed = client.get("/casework/", REMOTE_ADDR="192.0.2.20")
    assert response.status_code == refreshed.status_code == 200
    assert response.content.decode().count('href="/casework/children/') == size
    assert refreshed.content.decode().count('href="/casework/children/') == size


# Session, user, memberships, the children (their deadlines and the gate are kept: see below), and the audit
# entry (BEGIN, lock and last entry in one round trip, insert, COMMIT). Before: 17 with the gate left out, 20
# with it; 9 with the lock and the last entry apart.
HOME_QUERIES = 8
HOME_REFRESH_QUERIES = HOME_QUERIES - 4  # the audit entry's four (casework/audit.py: once a minute)


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_the_home_flags_each_kind_of_problem_with_its_unit(client, personas, terms):
    overdue = ChildFactory(school=personas.brook, legal_first_name="Overdue", started_on=datetime.date(2026, 9, 7))
    ChildFactory(school=personas.brook, legal_first_name="Soon", started_on=datetime.date(2026, 11, 9))
    uncovered = ChildFactory(school=personas.meadow, legal_first_name="Uncovered")
    PEPFactory(child=uncovered, signed_off=True)
    ReviewFactory(child=uncovered, held_on=datetime.date(2026, 12, 9))
    late = ChildFactory(school=personas.brook, legal_first_name="Leaver", left_on=datetime.date(2026, 11, 2))
    TransitionFactory(child=late, left_on=datetime.date(2026, 11, 2))
    TargetFactory(pep=PEPFactory(child=overdue), by_when=datetime.date(2026, 11, 2))
    # Its statutory reviews are up to date, so the PEP is its next deadline (shown with the rule's unit).
    ReviewFactory(child=overdue, held_on=datetime.date(2026, 11, 20), representative="DT")
    sign_in(client, personas.dt)
    page = client.get("/casework/").content.decode()
    for text in (
        "PEP overdue",
        "PEP due within 5 school days",
        "neither report nor representative",
        "Transfer late by 5 school days",
        "Targets past their date",
        "20 school days",
    ):
        assert text in page, text


# The closed gate on /casework/ and /admin/casework/ is tested with the real gate and policy in
# test_real_gate.py and test_gate_with_policy.py (no stand-in for casework.gate.gate_for).


def test_the_gate_is_open_until_the_executive_head_chooses_a_children_in_care_policy(personas, terms):
    assert gate.gate_for(personas.dt) is None


def test_the_gate_stays_closed_when_the_policy_cannot_be_looked_up(personas, monkeypatch):
    def unreachable():
        raise RuntimeError("the policy tables cannot be read")

    monkeypatch.setattr(gate, "children_in_care_policy", unreachable)
    assert gate.gate_for(personas.dt) == gate.UNCHECKABLE


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_deadlines_go_out_as_icalendar_without_the_childs_name(client, personas, terms):
    child = ChildFactory(
        school=personas.brook, legal_first_name="Zephyr", legal_last_name="Quill", started_on=datetime.date(2026, 11, 9)
    )
    sign_in(client, personas.dt)
    response = client.get("/casework/deadlines.ics")
    import icalendar

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    events = {str(e["summary"]): e.decoded("dtstart") for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert events[f"Initial PEP (ZQ, record {child.pk})"] == datetime.date(2026, 12, 7)
    assert "Zephyr" not in body and "Quill" not in body
