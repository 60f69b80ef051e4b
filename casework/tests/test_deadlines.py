import datetime

import pytest

from casework.deadlines import DeadlineEngine
from casework.models import DeadlineRule
from trust.school_days import DayUnit

from .factories import ChildFactory, PEPFactory, ReviewFactory, TransitionFactory, add_terms

D = datetime.date


@pytest.fixture
def brook(personas):
    add_terms(personas.brook, 2026, inset=[D(2026, 9, 3)])
    return personas.brook


TODAY = D(2026, 11, 30)


def engine(school, today=TODAY):
    return DeadlineEngine([school], today=today)


def test_the_initial_pep_is_due_twenty_school_days_after_starting(brook):
    child = ChildFactory(school=brook, started_on=D(2026, 10, 12), entered_care_on=D(2026, 1, 5))
    due, rule = engine(brook).initial_pep_due(child)
    # 13-16, 19-23 Oct (9), half term, 2 Nov onwards: 11 more school days -> 16 Nov.
    assert due == D(2026, 11, 16)
    assert rule.label == "20 school days"


def test_entering_care_while_on_roll_starts_the_count_again(brook):
    child = ChildFactory(school=brook, started_on=D(2025, 9, 3), entered_care_on=D(2026, 11, 13))
    due, _ = engine(brook).initial_pep_due(child)
    assert due == D(2026, 12, 11)


def test_a_local_authority_can_count_working_days_instead(brook):
    child = ChildFactory(school=brook, started_on=D(2026, 10, 12))
    DeadlineRule.objects.create(
        kind="initial_pep", days=20, unit=DayUnit.WORKING, local_authority=child.responsible_authority
    )
    due, rule = engine(brook).initial_pep_due(child)
    assert rule.label == "20 working days"
    assert due == D(2026, 11, 9)  # half term counts as working days


def test_a_school_rule_is_used_when_the_la_has_none(brook):
    child = ChildFactory(school=brook, started_on=D(2026, 10, 12))
    DeadlineRule.objects.create(kind="initial_pep", days=10, unit=DayUnit.SCHOOL, school=brook)
    assert engine(brook).initial_pep_due(child)[1].label == "10 school days"


def test_the_childs_local_authority_rule_beats_the_schools(brook):
    """Most specific wins: the LA that looks after the child, then the school, then the trust (DOMAIN.md)."""
    child = ChildFactory(school=brook, started_on=D(2026, 10, 12))
    DeadlineRule.objects.create(kind="initial_pep", days=10, unit=DayUnit.SCHOOL)
    DeadlineRule.objects.create(kind="initial_pep", days=15, unit=DayUnit.SCHOOL, school=brook)
    DeadlineRule.objects.create(
        kind="initial_pep", days=20, unit=DayUnit.WORKING, local_authority=child.responsible_authority
    )
    due, rule = engine(brook).initial_pep_due(child)
    assert (due, rule.label) == (D(2026, 11, 9), "20 working days")


def test_the_schools_rule_beats_the_trusts(brook):
    child = ChildFactory(school=brook, started_on=D(2026, 10, 12))
    DeadlineRule.objects.create(kind="initial_pep", days=10, unit=DayUnit.SCHOOL)
    DeadlineRule.objects.create(kind="initial_pep", days=15, unit=DayUnit.SCHOOL, school=brook)
    assert engine(brook).initial_pep_due(child)[1].label == "15 school days"


def test_records_transfer_is_due_fifteen_school_days_after_leaving(brook):
    child = ChildFactory(school=brook, left_on=D(2026, 11, 20))
    due, rule = engine(brook).transfer_due(child, child.left_on)
    assert due == D(2026, 12, 11) and rule.label == "15 school days"


def test_a_late_transfer_is_measured_in_school_days(brook):
    child = ChildFactory(school=brook, left_on=D(2026, 11, 2))
    transition = TransitionFactory(child=child, left_on=D(2026, 11, 2))
    e = engine(brook, today=D(2026, 11, 30))
    due, _ = e.transfer_due(child, transition.left_on)
    assert due == D(2026, 11, 23)
    assert e.transfer_lateness(child, transition, due) == 5


def test_the_pep_review_is_due_by_the_end_of_the_term(brook):
    child = ChildFactory(school=brook)
    due, _ = engine(brook).term_review_due(child, D(2026, 10, 1))
    assert due == D(2026, 12, 18)  # Autumn 2 ends on a Friday


def test_a_review_report_is_due_before_the_review(brook):
    child = ChildFactory(school=brook)
    review = ReviewFactory(child=child, held_on=D(2026, 12, 8))
    due, rule = engine(brook).review_report_due(review, child)
    assert due == D(2026, 12, 1) and rule.label == "5 school days"


def test_a_missing_year_is_shown_as_an_error_never_a_date(brook):
    child = ChildFactory(school=brook, started_on=D(2027, 7, 12))
    (deadline,) = [d for d in engine(brook, today=D(2027, 7, 12)).deadlines_for(child) if d.kind == "initial_pep"]
    assert deadline.due_on is None
    assert deadline.error == "No term dates for Brook Primary School in 2027/28"


def test_an_overdue_pep_is_flagged(brook):
    child = ChildFactory(school=brook, started_on=D(2026, 9, 7))
    (deadline,) = [d for d in engine(brook).deadlines_for(child) if d.kind == "initial_pep"]
    assert "PEP overdue" in deadline.flags


def test_a_pep_due_within_five_school_days_is_flagged(brook):
    child = ChildFactory(school=brook, started_on=D(2026, 11, 9))  # due 7 Dec: 5 school days after 30 Nov
    (deadline,) = [d for d in engine(brook).deadlines_for(child) if d.kind == "initial_pep"]
    assert deadline.due_on == D(2026, 12, 7)
    assert "PEP due within 5 school days" in deadline.flags


def test_a_review_with_neither_report_nor_representative_is_flagged(brook):
    child = ChildFactory(school=brook)
    PEPFactory(child=child, signed_off=True)
    ReviewFactory(child=child, held_on=D(2026, 12, 9))
    flags = [f for d in engine(brook).deadlines_for(child) for f in d.flags]
    assert any("neither report nor representative" in f for f in flags)


def test_a_booked_review_is_flagged_from_ten_school_days_before_it_not_eleven(brook):
    """The boundary: 30 Nov to Mon 14 Dec is exactly ten school days; from Fri 27 Nov it is eleven."""
    child = ChildFactory(school=brook)
    PEPFactory(child=child, signed_off=True)
    ReviewFactory(child=child, held_on=D(2026, 12, 14))
    flag = "Review within 10 school days with neither report nor representative"

    def flags(today):
        return [f for d in engine(brook, today).deadlines_for(child) for f in d.flags]

    assert flag in flags(D(2026, 11, 30))
    assert flag not in flags(D(2026, 11, 27))


def test_a_review_with_a_representative_is_not_flagged(brook):
    child = ChildFactory(school=brook)
    ReviewFactory(child=child, held_on=D(2026, 12, 9), representative="Dana (DT)")
    flags = [f for d in engine(brook).deadlines_for(child) for f in d.flags]
    assert not any("neither report" in f for f in flags)


def test_trust_wide_rules_are_shown_to_designated_teachers_but_not_theirs_to_change(client, personas, brook):
    from conftest import sign_in

    rule = DeadlineRule.objects.create(kind="transfer", days=15, unit=DayUnit.SCHOOL)
    sign_in(client, personas.dt)
    assert client.get(f"/admin/casework/deadlinerule/inspect/{rule.pk}/").status_code == 200
    assert client.get(f"/admin/casework/deadlinerule/edit/{rule.pk}/").status_code in (302, 403)
