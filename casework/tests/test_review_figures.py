"""Statutory reviews in the governors' figures and the annual report, from the casework home's own engine:
the casework home, the child's page, the briefing and the annual report agree for the same children."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from casework.enums import PEPStatus, TermName
from conftest import sign_in
from training.annual_report import render_html
from training.oversight import casework_oversight

from .factories import ChildFactory, PEPFactory, ReviewFactory, add_terms

D = datetime.date
pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC)
OVERDUE = "<strong>Statutory review overdue</strong>"
NOT_UPDATED = "<strong>PEP not updated since the last review"


def _signed_pep(child, signed_on):
    return PEPFactory(
        child=child,
        academic_year="2026/27",
        term=TermName.AUTUMN,
        period_starts_on=D(2026, 9, 3),
        period_ends_on=D(2026, 12, 18),
        status=PEPStatus.SIGNED_OFF,
        signed_off_at=timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(9))),
    )


def _four_children(school, n):
    """One set: review overdue and PEP not updated; all in order; PEP not updated only; first review overdue."""
    a = ChildFactory(school=school, legal_first_name=f"Ann{n}")
    ReviewFactory(child=a, held_on=D(2025, 6, 20))  # the second was due 20 Sep 2025; no PEP since
    b = ChildFactory(school=school, legal_first_name=f"Bob{n}")
    ReviewFactory(child=b, held_on=D(2026, 10, 1))  # the second is due 1 Jan 2027
    _signed_pep(b, D(2026, 10, 15))
    c = ChildFactory(school=school, legal_first_name=f"Cat{n}")
    for held in (D(2025, 6, 20), D(2025, 9, 10), D(2026, 3, 1), D(2026, 8, 20)):
        ReviewFactory(child=c, held_on=held)  # the next is due 20 Feb 2027; no PEP signed off since
    d = ChildFactory(school=school, legal_first_name=f"Dan{n}", entered_care_on=D(2026, 1, 5))  # no review at all
    return {"overdue": {a, d}, "not_updated": {a, c}, "all": [a, b, c, d]}


@pytest.mark.parametrize("sets", [1, 3])
def test_home_child_page_briefing_and_annual_report_agree_on_statutory_reviews(
    client, personas, sets, django_assert_num_queries
):
    brook = personas.brook
    add_terms(brook, 2025)
    add_terms(brook, 2026)
    made = [_four_children(brook, n) for n in range(sets)]
    overdue = {c.pk for m in made for c in m["overdue"]}
    not_updated = {c.pk for m in made for c in m["not_updated"]}
    with time_machine.travel(TODAY, tick=False):
        with django_assert_num_queries(FIGURES_QUERIES):
            figures = casework_oversight([brook.pk])[brook.pk]
        sign_in(client, personas.dt)
        home = client.get("/casework/").content.decode()
        pages = {}
        for child in (c for m in made for c in m["all"]):
            response = client.get(f"/casework/children/{child.pk}/")
            (review,) = [row["deadline"] for row in response.context["review_schedule"] if "deadline" in row]
            pages[child.pk] = review.flags
        report = render_html(brook, "2026/27")
        sign_in(client, personas.governor)
        briefing = client.get("/briefing/").content.decode()

    assert home.count(OVERDUE) == len(overdue) == 2 * sets
    assert home.count(NOT_UPDATED) == len(not_updated) == 2 * sets
    assert {pk for pk, flags in pages.items() if "Statutory review overdue" in flags} == overdue
    assert {pk for pk, flags in pages.items() if any(f.startswith("PEP not updated") for f in flags)} == not_updated
    assert (figures.reviews_overdue, figures.pep_not_updated_since_review) == (2 * sets, 2 * sets)
    for page in (report, briefing):
        assert f"statutory (looked-after child) review is overdue</th><td>{2 * sets}</td>" in page
        assert f"PEP was not updated since their last statutory review</th><td>{2 * sets}</td>" in page
        assert "Ann0" not in page  # figures only, never a name


# The schools (calendars), their terms, non-teaching days, the rules, the children, their PEPs, their reviews.
FIGURES_QUERIES = 7
