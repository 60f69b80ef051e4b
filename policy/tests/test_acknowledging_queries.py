"""Acknowledging takes the same queries whatever the number of policies, versions and other people's receipts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import sign_in
from policy.models import ReadReceipt
from policy.tests.conftest import acknowledge_url
from policy.tests.factories import make_policy, publish_change
from trust.enums import Role
from trust.tests.factories import MembershipFactory, UserFactory

from .test_dashboard_and_queries import acknowledge

pytestmark = pytest.mark.django_db

# session and user, the person's rights, routing, Wagtail's view restrictions, audience, the current version,
# any earlier receipt, then one transaction (with its savepoints): the receipt, its page-history entry
# (Wagtail checks its foreign keys first), the briefing's generation and the attempt (bench/results.md).
# The site, the home page and trust's own privacy check are read once per content generation
# (trust.personal_pages.kept_for_content): 23 became 20.
ACKNOWLEDGE_QUERIES = 20


def grow(personas, policies, people, start=0):
    for n in range(start, start + policies):
        page = make_policy(f"Other policy {n}", slug=f"other-{n}")
        publish_change(page, material=True, summary="Again.", user=personas.head)
    for n in range(people):
        person = UserFactory(email=f"colleague{n}@symphony.example")
        MembershipFactory(user=person, role=Role.STAFF, school=personas.brook)


def acknowledge_queries(person, page):
    client = Client()
    sign_in(client, person)
    client.get(page.url)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(acknowledge_url(page), {"revision": page.live_revision_id, "statement": "on"})
    assert response.status_code == 302
    assert ReadReceipt.objects.filter(user=person, page_id=page.pk).count() == 1
    return len(queries)


def test_acknowledging_takes_the_same_queries_in_a_small_and_a_larger_trust(personas):
    policy = make_policy("Children in Care policy")
    grow(personas, policies=1, people=1)
    few = acknowledge_queries(personas.staff, policy)
    grow(personas, policies=10, people=0, start=1)
    for n in range(10):
        person = UserFactory(email=f"reader{n}@symphony.example")
        MembershipFactory(user=person, role=Role.STAFF, school=personas.brook)
        acknowledge(person, policy)
    many = acknowledge_queries(personas.governor, policy)
    assert few == many == ACKNOWLEDGE_QUERIES, f"{few} queries in the small trust, {many} in the larger"
