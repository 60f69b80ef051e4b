"""A policy for some schools counts only those schools' people in the briefing report; a trust-wide one counts all.

These fail if the audience rule (policy.audience.audience_condition, which the briefing's
requirements use) stops filtering by a policy's schools.
"""

import pytest

from conftest import sign_in
from policy.audience import members_of
from policy.tests.factories import make_policy
from training.briefing import build_report
from training.tests.briefing_helpers import acknowledge

pytestmark = pytest.mark.django_db


def _item(briefing, title):
    figure = next(i.figure for i in briefing.by_item if i.requirement.title == title)
    return figure.total, figure.done


def _by_school(report, title):
    return {entry.school.slug: _item(entry, title) for entry in report.schools}


@pytest.fixture
def brook_only(personas):
    page = make_policy("Brook lettings policy", slug="brook-lettings", applies_to_all_schools=False)
    page.schools.set([personas.brook])
    page.save()
    acknowledge(personas.staff, page)
    return page


def test_a_policy_for_one_school_counts_only_that_schools_people(personas, brook_only):
    report = build_report()
    # Brook: the staff member, the governor and the designated teacher (staff at Brook); one has acknowledged.
    # Castle's designated teacher, who is also staff there, is not in this policy's audience.
    assert _by_school(report, "Brook lettings policy") == {"brook": (3, 1), "castle": (0, 0), "meadow": (0, 0)}
    assert _item(report.totals, "Brook lettings policy") == (3, 1)
    assert set(members_of(brook_only)) == {personas.staff, personas.governor, personas.dt}


def test_a_trust_wide_policy_counts_every_schools_people(personas):
    page = make_policy("Trust lettings policy", slug="trust-lettings")
    acknowledge(personas.dt_castle, page)
    report = build_report()
    assert _by_school(report, "Trust lettings policy") == {"brook": (3, 0), "castle": (1, 1), "meadow": (0, 0)}
    assert _item(report.totals, "Trust lettings policy") == (4, 1)
    assert set(members_of(page)) == {personas.staff, personas.governor, personas.dt, personas.dt_castle}


def test_castles_people_are_not_outstanding_on_a_brook_only_policy(personas, brook_only):
    """What the head reads on /briefing/: Castle is fully briefed, since Brook's policy asks nothing of it."""
    castle = next(e for e in build_report(names_for={personas.castle.pk}).schools if e.school == personas.castle)
    assert (castle.overall.total, castle.overall.done) == (1, 1)
    assert castle.outstanding_people == []


def test_the_briefing_page_shows_the_brook_only_policy_as_brooks_alone(client, personas, brook_only):
    sign_in(client, personas.head)
    response = client.get("/briefing/")
    assert response.status_code == 200
    report = response.context["report"]
    assert _by_school(report, "Brook lettings policy") == {"brook": (3, 1), "castle": (0, 0), "meadow": (0, 0)}
