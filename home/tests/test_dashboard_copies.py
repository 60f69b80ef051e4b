"""The dashboard is served from the person's own copy (trust/personal_pages.py), and never out of date.

Each test warms the copy (the first visit sets the CSRF cookie, the second keeps the copy), checks that
the third is served from it, then changes something the dashboard shows and reads it again at once.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from casework.models import SharedRecommendation
from casework.tests.factories import ChildFactory, PEPFactory, add_terms
from conftest import sign_in
from policy.tests.factories import make_policy, publish_change
from training.tests.briefing_helpers import acknowledge, complete, staff_module
from trust.enums import Role
from trust.models import Membership
from trust.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

COPY_QUERIES = 2  # the session and the user: no site, no page, no panel


def warm(client):
    for _ in range(2):
        assert client.get("/").status_code == 200


def dashboard(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def policy(personas):
    return make_policy("Children in Care policy")


def test_a_kept_dashboard_is_served_without_building_the_panels(client, personas, policy, django_assert_num_queries):
    sign_in(client, personas.staff)
    warm(client)
    with django_assert_num_queries(COPY_QUERIES):
        html = dashboard(client)
    assert "Children in Care policy" in html and "Your dashboard" in html


def test_acknowledging_shows_on_the_dashboard_at_once(client, personas, policy):
    sign_in(client, personas.staff)
    warm(client)
    assert "To read and acknowledge" in dashboard(client)
    acknowledge(personas.staff, policy)
    html = dashboard(client)
    assert "To read and acknowledge" not in html
    assert "Children in Care policy</a>, version 1 on" in html


def test_a_new_version_asks_again_on_the_dashboard_at_once(client, personas, policy):
    acknowledge(personas.staff, policy)
    sign_in(client, personas.staff)
    warm(client)
    assert "To read and acknowledge" not in dashboard(client)
    publish_change(policy, material=True, summary="New duty for governors.", user=personas.head)
    html = dashboard(client)
    assert "To read and acknowledge" in html and "Children in Care policy</a>, version 2 –" in html


def test_a_leaver_no_longer_sees_the_policy_on_their_dashboard(client, personas, policy):
    sign_in(client, personas.staff)
    warm(client)
    assert "Children in Care policy" in dashboard(client)
    membership = Membership.objects.get(user=personas.staff)
    membership.ended_on = timezone.localdate() - datetime.timedelta(days=1)
    membership.save()
    assert "Children in Care policy" not in dashboard(client)


def test_a_new_role_shows_its_panel_at_once(client, personas, policy):
    add_terms(personas.brook, 2026)
    ChildFactory(school=personas.brook)
    sign_in(client, personas.staff)
    warm(client)
    assert "Casework" not in dashboard(client).split("<h1>", 1)[1]
    MembershipFactory(user=personas.staff, role=Role.DESIGNATED_TEACHER, school=personas.brook)
    assert "Casework" in dashboard(client).split("<h1>", 1)[1]


def test_a_recommendation_shared_by_someone_else_shows_at_once(client, personas, policy):
    add_terms(personas.brook, 2026)
    pep = PEPFactory(child=ChildFactory(school=personas.brook, preferred_name="Jazz"))
    sign_in(client, personas.staff)
    warm(client)
    assert "Recommendations shared with you" not in dashboard(client)
    SharedRecommendation.objects.create(
        pep=pep, recommendation="Give a movement break after lunch", shared_with=personas.staff, shared_by=personas.dt
    )
    html = dashboard(client)
    assert "Recommendations shared with you" in html and "movement break" in html


def test_completing_training_shows_at_once(client, personas, policy):
    module = staff_module("First aid")
    sign_in(client, personas.staff)
    warm(client)
    assert "First aid" in dashboard(client)
    complete(personas.staff, module)
    assert "First aid" not in dashboard(client)


def test_a_governors_completion_counts_follow_other_peoples_receipts_at_once(client, personas, policy):
    sign_in(client, personas.governor)
    warm(client)
    before = dashboard(client)
    assert "Briefing completion" in before
    acknowledge(personas.staff, policy)  # someone else's receipt: the governor's own records are untouched
    assert dashboard(client) != before


def test_one_persons_dashboard_is_never_shown_to_another(personas, policy):
    acknowledge(personas.governor, policy)
    staff, governor = Client(), Client()
    sign_in(staff, personas.staff)
    sign_in(governor, personas.governor)
    warm(staff)
    warm(governor)
    staff_html, governor_html = dashboard(staff), dashboard(governor)
    assert personas.staff.get_full_name() in staff_html and personas.staff.get_full_name() not in governor_html
    assert "Briefing completion" in governor_html and "Briefing completion" not in staff_html
