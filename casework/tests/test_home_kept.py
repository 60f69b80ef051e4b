"""The casework home keeps the person's gate state and their children's deadlines (never a child's name) for the
day, under the content, person and casework generations (casework.gate, casework.child_views.home_rows). Each test
opens the home once (so the state is kept), changes one thing, and opens it again: the change shows at once."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import sign_in
from policy.tests.factories import choose_as_gate_policy, make_policy, publish_change
from trust.models import Membership

from .factories import ChildFactory, PEPFactory, add_terms
from .test_home_and_gate import acknowledge

pytestmark = pytest.mark.django_db

PUBLISHED = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
MONDAY = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def gate_policy(personas):
    for school in (personas.brook, personas.meadow, personas.castle):
        add_terms(school, 2026)
    with time_machine.travel(PUBLISHED, tick=False):
        return choose_as_gate_policy(make_policy(title="Our looked-after children policy", slug="looked-after"))


@pytest.fixture
def dt_client(client, personas, gate_policy):
    sign_in(client, personas.dt)
    acknowledge(client, gate_policy)
    return client


def home(client):
    response = client.get("/casework/")
    return response.status_code, response.content.decode()


def test_a_new_material_version_shows_at_once_and_closes_casework_when_due(client, personas, gate_policy):
    with time_machine.travel(PUBLISHED, tick=False):
        sign_in(client, personas.dt)
        acknowledge(client, gate_policy)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC), tick=False):
        sign_in(client, personas.dt)
        assert home(client)[0] == 200  # the open gate is kept for the day
    with time_machine.travel(datetime.datetime(2026, 11, 23, 8, 1, tzinfo=datetime.UTC), tick=False):
        publish_change(gate_policy, material=True, summary="New duties.")
        status, page = home(client)
    assert status == 200
    assert "Version 2 of <strong>Our looked-after children policy</strong> is new" in page
    with time_machine.travel(datetime.datetime(2026, 12, 8, 9, 0, tzinfo=datetime.UTC), tick=False):
        sign_in(client, personas.dt)
        status, page = home(client)
    assert status == 403
    assert "(version 2)" in page


@time_machine.travel(MONDAY, tick=False)
def test_acknowledging_opens_casework_at_once(client, personas, gate_policy):
    sign_in(client, personas.dt)
    assert home(client)[0] == 403  # the closed gate is kept too
    acknowledge(client, gate_policy)
    assert home(client)[0] == 200


@time_machine.travel(MONDAY, tick=False)
def test_a_leaver_loses_casework_at_once(dt_client, personas):
    assert home(dt_client)[0] == 200
    for membership in Membership.objects.filter(user=personas.dt):
        membership.ended_on = timezone.localdate() - datetime.timedelta(days=1)
        membership.save()
    assert home(dt_client)[0] in (302, 403, 404)


@time_machine.travel(MONDAY, tick=False)
def test_a_signed_off_pep_clears_the_overdue_flag_at_once(dt_client, personas):
    child = ChildFactory(school=personas.brook, entered_care_on=None, started_on=datetime.date(2026, 9, 7))
    assert "PEP overdue" in home(dt_client)[1]
    PEPFactory(child=child, signed_off=True, signed_off_at=timezone.now())
    assert "PEP overdue" not in home(dt_client)[1]


@time_machine.travel(MONDAY, tick=False)
def test_a_new_child_and_a_new_name_show_at_once(dt_client, personas):
    first = ChildFactory(school=personas.brook, legal_first_name="Ottilie", started_on=datetime.date(2026, 11, 9))
    assert "Ottilie" in home(dt_client)[1]
    ChildFactory(school=personas.brook, legal_first_name="Barnaby", started_on=datetime.date(2026, 11, 9))
    first.preferred_name = "Tilly"
    first.save()
    page = home(dt_client)[1]
    assert "Barnaby" in page and "Tilly" in page


@time_machine.travel(MONDAY, tick=False)
def test_an_inset_day_moves_the_deadline_at_once(dt_client, personas):
    ChildFactory(school=personas.brook, entered_care_on=None, started_on=datetime.date(2026, 11, 9))
    assert "7 Dec 2026" in home(dt_client)[1]  # 20 school days after Monday 9 November
    from trust.calendar_models import NonTeachingDay

    NonTeachingDay.objects.create(school=personas.brook, date=datetime.date(2026, 11, 20), kind=NonTeachingDay.Kind.INSET)
    page = home(dt_client)[1]
    assert "8 Dec 2026" in page and "7 Dec 2026" not in page


def test_the_due_soon_flag_turns_with_the_date(dt_client, personas):
    ChildFactory(school=personas.brook, entered_care_on=None, started_on=datetime.date(2026, 11, 9))
    with time_machine.travel(MONDAY - datetime.timedelta(days=3), tick=False):
        assert "PEP due within 5 school days" not in home(dt_client)[1]  # Friday: due Monday 7 December
    with time_machine.travel(MONDAY, tick=False):
        assert "PEP due within 5 school days" in home(dt_client)[1]


@time_machine.travel(MONDAY, tick=False)
def test_one_designated_teachers_children_are_never_shown_to_another(client, personas, gate_policy):
    ChildFactory(school=personas.brook, legal_first_name="Ottilie")
    ChildFactory(school=personas.castle, legal_first_name="Barnaby")
    sign_in(client, personas.dt)
    acknowledge(client, gate_policy)
    page = home(client)[1]
    assert "Ottilie" in page and "Barnaby" not in page
    client.logout()
    sign_in(client, personas.dt_castle)
    acknowledge(client, gate_policy)
    page = home(client)[1]
    assert "Barnaby" in page and "Ottilie" not in page


@time_machine.travel(MONDAY, tick=False)
def test_the_children_are_read_afresh_with_only_what_the_list_shows(dt_client, personas):
    """No date of birth, UPN or contact is read for the list, and each school comes from the memberships."""
    ChildFactory(school=personas.brook, legal_first_name="Ada", started_on=datetime.date(2026, 9, 7))
    ChildFactory(school=personas.meadow, legal_first_name="Bea", preferred_name="Bee")
    home(dt_client)  # the deadlines are worked out and kept
    with CaptureQueriesContext(connection) as queries:
        status, page = home(dt_client)
    assert status == 200
    assert "Ada " in page and "Bee " in page
    assert "Brook Primary School" in page and "Meadow Primary School" in page
    [children] = [q["sql"] for q in queries.captured_queries if 'FROM "casework_child"' in q["sql"]]
    for column in ("date_of_birth", "upn", "social_worker_email", "iro_phone", "senco_name"):
        assert f'"casework_child"."{column}"' not in children
    assert "JOIN" not in children
