"""Every PEP due is done or overdue; go-live; care episodes; the statutory review schedule; one set of figures."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.deadlines import DeadlineEngine
from casework.enums import Cohort, PEPStatus, TermName
from casework.models import CareEpisode
from conftest import sign_in
from training.annual_report import render_html
from training.oversight import casework_oversight

from .factories import ChildFactory, PEPFactory, ReviewFactory, add_terms

D = datetime.date
pytestmark = pytest.mark.django_db


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def brook(personas):
    add_terms(personas.brook, 2025)
    add_terms(personas.brook, 2026)
    return personas.brook


TERMS = {
    TermName.AUTUMN: (D(2025, 9, 3), D(2025, 12, 18)),
    TermName.SPRING: (D(2026, 1, 5), D(2026, 3, 26)),
    TermName.SUMMER: (D(2026, 4, 12), D(2026, 7, 21)),
}


def signed(child, term, year, signed_on):
    """A PEP for `term` of the academic year starting in September `year`, signed off on `signed_on`."""
    starts, ends = TERMS[term]
    shift = year - 2025
    return PEPFactory(
        child=child,
        academic_year=f"{year}/{(year + 1) % 100:02d}",
        term=term,
        period_starts_on=starts.replace(year=starts.year + shift),
        period_ends_on=ends.replace(year=ends.year + shift),
        status=PEPStatus.SIGNED_OFF,
        signed_off_at=timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(9))),
    )


def pep_deadline(school, child, today):
    (deadline,) = [
        d for d in DeadlineEngine([school], today=today).deadlines_for(child) if d.kind in ("initial_pep", "pep_review")
    ]
    return deadline


def review(school, child, today):
    (deadline,) = [
        d for d in DeadlineEngine([school], today=today).deadlines_for(child) if d.kind == "statutory_review"
    ]
    return deadline


# --- a missed term ------------------------------------------------------------------------------------
def test_a_missed_term_stays_overdue_until_a_pep_is_signed_off(brook):
    child = ChildFactory(school=brook, started_on=D(2025, 9, 3))
    signed(child, TermName.AUTUMN, 2025, D(2025, 9, 25))
    signed(child, TermName.SPRING, 2025, D(2026, 2, 2))
    signed(child, TermName.SUMMER, 2025, D(2026, 5, 4))
    # Nothing for autumn 2026 (due by 18 December): in spring it is still overdue, not "due this term".
    deadline = pep_deadline(brook, child, D(2027, 1, 20))
    assert "PEP overdue" in deadline.flags
    assert deadline.due_on == D(2026, 12, 18)
    assert deadline.label == "PEP review: Autumn term 2026/27 (overdue)"
    # Still overdue at the end of spring with nothing signed off.
    assert "PEP overdue" in pep_deadline(brook, child, D(2027, 3, 30)).flags

    signed(child, TermName.SPRING, 2026, D(2027, 1, 19))
    deadline = pep_deadline(brook, child, D(2027, 1, 20))
    assert "PEP overdue" not in deadline.flags
    assert (deadline.label, deadline.due_on) == ("PEP review next term", D(2027, 7, 21))  # spring's is done


def test_a_child_with_no_pep_record_at_all_is_overdue_and_counted(brook):
    child = ChildFactory(school=brook, started_on=D(2026, 9, 7))  # initial PEP due 5 October
    deadline = pep_deadline(brook, child, D(2026, 11, 30))
    assert (deadline.label, deadline.due_on, deadline.flags) == ("Initial PEP", D(2026, 10, 5), ["PEP overdue"])
    with at(D(2026, 11, 30)):
        figures = casework_oversight([brook.pk])[brook.pk]
    assert (figures.children_in_care, figures.peps_due, figures.peps_overdue) == (1, 1, 1)


# --- go-live --------------------------------------------------------------------------------------------
def test_a_child_with_a_pep_before_the_portal_is_not_owed_an_initial_pep(brook):
    with at(D(2026, 11, 30)):
        before = ChildFactory(school=brook, started_on=D(2025, 9, 3), pep_before_portal_on=D(2026, 10, 1))
        new = ChildFactory(school=brook, started_on=D(2025, 9, 3))
        # The first PEP entered here: a term review for the child who had one, the initial PEP for the other.
        assert PEPFactory(child=before).due_on == D(2026, 12, 18)
        assert PEPFactory(child=new).due_on == D(2025, 10, 1)
    deadline = pep_deadline(brook, before, D(2026, 11, 30))
    assert deadline.kind == "pep_review" and "PEP overdue" not in deadline.flags
    assert "PEP overdue" in pep_deadline(brook, new, D(2026, 11, 30)).flags


def test_a_pep_before_the_portal_from_an_earlier_care_episode_does_not_count(brook):
    child = ChildFactory(school=brook, entered_care_on=D(2026, 11, 9), pep_before_portal_on=D(2026, 6, 1))
    deadline = pep_deadline(brook, child, D(2026, 11, 30))
    assert (deadline.label, deadline.due_on) == ("Initial PEP", D(2026, 12, 7))


# --- care episodes --------------------------------------------------------------------------------------
def test_coming_back_into_care_restarts_the_initial_pep_and_the_reviews(brook):
    with at(D(2026, 11, 30)):
        child = ChildFactory(school=brook, entered_care_on=D(2025, 6, 1), started_on=D(2025, 9, 3))
        signed(child, TermName.AUTUMN, 2025, D(2025, 9, 25))
        ReviewFactory(child=child, held_on=D(2025, 6, 20), representative="DT")
        child.cohort, child.entered_care_on = Cohort.SOCIAL_WORKER, None
        child.save()
        child.cohort, child.entered_care_on = Cohort.LOOKED_AFTER, D(2026, 11, 9)
        child.save()
    episodes = list(CareEpisode.objects.filter(child=child).values_list("entered_on", "left_on"))
    assert episodes == [(D(2025, 6, 1), D(2026, 11, 30)), (D(2026, 11, 9), None)]
    # The earlier signed PEP and review belong to the first episode: the clocks start again.
    deadline = pep_deadline(brook, child, D(2026, 11, 30))
    assert (deadline.label, deadline.due_on) == ("Initial PEP", D(2026, 12, 7))
    first = review(brook, child, D(2026, 11, 30))
    assert (first.label, first.due_on) == ("First statutory review", D(2026, 12, 7))
    assert first.rule_text == "within 20 working days of entering care (reg 33)"


def test_a_later_entry_date_opens_a_new_episode_and_an_earlier_one_corrects_it(brook):
    with at(D(2026, 11, 30)):
        child = ChildFactory(school=brook, entered_care_on=D(2026, 3, 2))
        child.entered_care_on = D(2026, 2, 23)  # a typo corrected
        child.save()
        child.entered_care_on = D(2026, 10, 5)  # back into care
        child.save()
    episodes = list(CareEpisode.objects.filter(child=child).values_list("entered_on", "left_on"))
    assert episodes == [(D(2026, 2, 23), D(2026, 10, 4)), (D(2026, 10, 5), None)]


# --- the statutory review schedule ---------------------------------------------------------------------
def test_the_first_review_is_due_twenty_working_days_after_entering_care_and_flagged_when_not_booked(brook):
    child = ChildFactory(school=brook, entered_care_on=D(2026, 11, 16))
    deadline = review(brook, child, D(2026, 11, 30))
    assert (deadline.label, deadline.due_on, deadline.unit_label) == (
        "First statutory review",
        D(2026, 12, 14),
        "working days",
    )
    assert any("due within 10 school days, not booked" in f for f in deadline.flags)
    assert not review(brook, child, D(2026, 11, 27)).flags  # 11 school days before: not yet


def test_an_unbooked_review_is_flagged_from_ten_school_days_before_its_date_not_eleven(brook):
    """The boundary of "within ten school days": due Mon 14 Dec, flagged on Mon 30 Nov (ten school days
    before), not on Fri 27 Nov (eleven). Nine would leave the DT a day short."""
    child = ChildFactory(school=brook, entered_care_on=D(2026, 11, 16))
    flag = "Statutory review due within 10 school days, not booked: neither report nor representative"
    assert review(brook, child, D(2026, 11, 30)).flags == [flag]
    assert review(brook, child, D(2026, 12, 1)).flags == [flag]
    assert review(brook, child, D(2026, 11, 27)).flags == []


def test_the_first_review_overdue(brook):
    child = ChildFactory(school=brook, entered_care_on=D(2026, 10, 12))  # half term counts: due 9 November
    deadline = review(brook, child, D(2026, 11, 30))
    assert deadline.due_on == D(2026, 11, 9) and "Statutory review overdue" in deadline.flags


def test_the_second_review_is_due_within_three_months_of_the_first(brook):
    child = ChildFactory(school=brook, entered_care_on=D(2026, 9, 10))
    ReviewFactory(child=child, held_on=D(2026, 10, 1), representative="DT")
    deadline = review(brook, child, D(2026, 11, 30))
    assert (deadline.label, deadline.due_on) == ("Second statutory review", D(2027, 1, 1))
    assert deadline.rule_text.startswith("within 3 months of the first review on 1 Oct 2026")
    assert "PEP not updated since the last review on 1 Oct 2026" in deadline.flags
    signed(child, TermName.AUTUMN, 2026, D(2026, 10, 15))
    assert not review(brook, child, D(2026, 11, 30)).flags


def test_later_reviews_are_due_every_six_months_and_overdue_after(brook):
    child = ChildFactory(school=brook, entered_care_on=D(2026, 2, 1))
    ReviewFactory(child=child, held_on=D(2026, 3, 1), representative="DT")
    ReviewFactory(child=child, held_on=D(2026, 5, 31), representative="DT")
    signed(child, TermName.SUMMER, 2025, D(2026, 6, 2))
    deadline = review(brook, child, D(2026, 11, 20))
    assert (deadline.label, deadline.due_on) == ("Third statutory review", D(2026, 11, 30))
    assert deadline.rule_text.startswith("within 6 months of the last review on 31 May 2026")
    assert "Statutory review overdue" in review(brook, child, D(2026, 12, 1)).flags


def test_a_booked_review_within_ten_school_days_with_neither_report_nor_representative_is_flagged(brook):
    child = ChildFactory(school=brook, entered_care_on=D(2026, 11, 16))
    ReviewFactory(child=child, held_on=D(2026, 12, 9))
    flags = [f for d in DeadlineEngine([brook], today=D(2026, 11, 30)).deadlines_for(child) for f in d.flags]
    assert "Review within 10 school days with neither report nor representative" in flags
    assert not any("not booked" in f for f in flags)


# --- one source of truth for figures --------------------------------------------------------------------
def _children(school, n):
    for i in range(n):
        child = ChildFactory(school=school, started_on=D(2026, 9, 7))
        if i % 2:
            signed(child, TermName.AUTUMN, 2026, D(2026, 9, 30))  # on time: nothing overdue


@pytest.mark.parametrize("size", [2, 8])
def test_the_governors_figures_and_the_annual_report_count_the_casework_homes_children(client, personas, brook, size):
    _children(brook, size)
    with at(D(2026, 11, 30)):
        sign_in(client, personas.dt)
        home = client.get("/casework/").content.decode()
        with CaptureQueriesContext(connection) as queries:
            figures = casework_oversight([brook.pk])[brook.pk]
        report = render_html(brook, "2026/27")
    overdue_on_home = home.count("<strong>PEP overdue</strong>")
    assert overdue_on_home == size // 2 + size % 2
    assert figures.peps_overdue == overdue_on_home
    assert f"PEPs overdue</th><td>{overdue_on_home}</td>" in report
    assert "first PEP: within 20 school days of starting or entering care" in report
    assert (figures.peps_due, figures.peps_on_time) == (size, size // 2)
    assert len(queries.captured_queries) == GOVERNOR_FIGURES_QUERIES


# The schools (calendars), their terms, non-teaching days, the rules, the children, their PEPs, their statutory reviews.
GOVERNOR_FIGURES_QUERIES = 7
