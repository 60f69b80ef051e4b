"""The briefing report is kept until something it counts changes, and never hides a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import sign_in
from policy.tests.factories import make_policy, publish_change
from training.tests.briefing_helpers import acknowledge, complete, staff_module
from trust.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(personas):
    policy = make_policy("Children in Care policy")
    acknowledge(personas.staff, policy)
    return policy


def brook_staff(client):
    """The head's figure for Brook's staff, as shown on the school's briefing page: "done of total"."""
    response = client.get("/briefing/brook/")
    assert response.status_code == 200
    entry = response.context["entry"]
    return entry.by_role[0].done, entry.by_role[0].total


def queries_for(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_an_unchanged_report_comes_from_the_cache(client, personas, policy):
    sign_in(client, personas.head)
    client.get("/briefing/")  # the first page of a session also loads site settings
    MembershipFactory(user=UserFactory(), school=personas.brook)
    built = queries_for(client, "/briefing/")
    cached = queries_for(client, "/briefing/")
    for _ in range(10):
        MembershipFactory(user=UserFactory(), school=personas.brook)
    rebuilt = queries_for(client, "/briefing/")
    assert rebuilt == built
    # The cached page still checks who is asking and reads the casework figures; the report is not rebuilt.
    assert cached <= built - 10, (built, cached)


def test_an_acknowledgement_shows_at_once(client, personas, policy):
    sign_in(client, personas.head)
    assert brook_staff(client) == (1, 2)
    acknowledge(personas.dt, policy)
    assert brook_staff(client) == (2, 2)


def test_a_training_completion_shows_at_once(client, personas, policy):
    module = staff_module("Safeguarding essentials")
    sign_in(client, personas.head)
    assert brook_staff(client) == (0, 2)
    complete(personas.staff, module)
    assert brook_staff(client) == (1, 2)


def test_a_material_change_a_joiner_and_a_leaver_show_at_once(client, personas, policy):
    sign_in(client, personas.head)
    assert brook_staff(client) == (1, 2)
    publish_change(policy, material=True, summary="New duty.")
    assert brook_staff(client) == (0, 2)
    joiner = MembershipFactory(user=UserFactory(), school=personas.brook)
    assert brook_staff(client) == (0, 3)
    joiner.user.is_active = False
    joiner.user.save()
    assert brook_staff(client) == (0, 2)


def test_signing_in_does_not_throw_the_report_away(client, personas, policy):
    from django.test import Client

    sign_in(client, personas.head)
    queries_for(client, "/briefing/")
    cached = queries_for(client, "/briefing/")
    sign_in(Client(), personas.staff)  # writes last_login
    assert queries_for(client, "/briefing/") == cached


def test_staff_who_leave_in_an_import_leave_the_figures_at_once(client, personas, policy):
    from trust.staff_import import import_staff

    import_staff(personas.brook, "email,first_name,last_name,roles,job_title\nann.ash@symphony.example,Ann,Ash,staff,Teacher\n")
    sign_in(client, personas.head)
    assert brook_staff(client) == (0, 1)  # Ann is the only Brook staff member in the file: the others left
    import_staff(personas.brook, "email,first_name,last_name,roles,job_title\nbo.birch@symphony.example,Bo,Birch,staff,TA\n")
    assert brook_staff(client) == (0, 1)
    assert client.get("/briefing/brook/").context["entry"].outstanding_people[0].email == "bo.birch@symphony.example"


def _school_table(response):
    html = response.content.decode()
    start = html.index("<caption>By school and role</caption>")
    return html[start : html.index("</table>", start)]


def test_the_overview_is_rendered_once_until_something_changes(client, personas, policy):
    sign_in(client, personas.head)
    first = client.get("/briefing/")
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/briefing/")
    assert _school_table(again) == _school_table(first)
    # Neither built nor read: no flag table, no requirements (the pages) queried.
    assert not any("briefing_flags" in q["sql"] or "wagtailcore_page" in q["sql"] for q in captured.captured_queries)
    acknowledge(personas.dt, policy)
    changed = client.get("/briefing/")
    assert _school_table(changed) != _school_table(first)
