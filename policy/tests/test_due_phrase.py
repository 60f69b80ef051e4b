"""Due dates a person can read: how many working days are left, and the date."""

import datetime as dt

import pytest
import time_machine

from conftest import sign_in
from policy.audience import due_phrase
from policy.tests.factories import make_policy
from trust.enums import Role
from trust.tests.factories import MembershipFactory, UserFactory

PUBLISHED = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)  # Wednesday: 10 working days -> Wednesday 9 December
MONDAY = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "today, expected",
    [
        (dt.date(2026, 11, 30), "due in 7 working days (Wednesday 9 December 2026)"),
        (dt.date(2026, 12, 8), "due in 1 working day (Wednesday 9 December 2026)"),
        (dt.date(2026, 12, 9), "due today (Wednesday 9 December 2026)"),
        (dt.date(2026, 12, 14), "overdue by 3 working days (was due Wednesday 9 December 2026)"),
    ],
)
def test_the_phrase_counts_working_days_to_the_due_date(today, expected):
    assert due_phrase(dt.date(2026, 12, 9), today) == expected


def test_bank_holidays_are_not_counted():
    # Thursday 24 December and Tuesday 29 December count; Christmas Day and Boxing Day (observed Monday 28) do not.
    assert due_phrase(dt.date(2026, 12, 29), dt.date(2026, 12, 23)) == "due in 2 working days (Tuesday 29 December 2026)"


@pytest.mark.django_db
def test_the_dashboard_and_the_page_say_how_many_working_days_are_left(client, personas):
    with time_machine.travel(PUBLISHED, tick=False):
        policy = make_policy()
    with time_machine.travel(MONDAY, tick=False):
        sign_in(client, personas.staff)
        dashboard = client.get("/").content.decode()
        page = client.get(policy.url).content.decode()
    assert "due in 7 working days (Wednesday 9 December 2026)" in dashboard
    assert "(working days)" not in dashboard
    assert "due in 7 working days (Wednesday 9 December 2026)" in page


@pytest.mark.django_db
def test_a_joiner_gets_the_policys_period_from_the_day_they_join(client, personas):
    with time_machine.travel(PUBLISHED, tick=False):
        policy = make_policy()
    joiner = UserFactory(email="joiner@symphony.example")
    MembershipFactory(user=joiner, school=personas.brook, role=Role.STAFF, started_on=dt.date(2026, 11, 30))
    with time_machine.travel(MONDAY, tick=False):
        sign_in(client, joiner)
        page = client.get(policy.url).content.decode()
    # 10 working days from Monday 30 November: Monday 14 December.
    assert "due in 10 working days (Monday 14 December 2026)" in page
