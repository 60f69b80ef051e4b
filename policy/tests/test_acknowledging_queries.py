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

# The session and the user; the page by its id with, in the same query, its current version and whether the
# person already acknowledged it (no site, routing or view-restriction queries: the site's restrictions are
# kept for the content generation); their memberships (the audience and the receipt's snapshot); then one
# transaction, no savepoint inside it (two statements here, as the test runs inside a transaction of its own):
# the receipt, its row in the briefing's index (training.BriefingCompletion), the briefing's generation, the
# page-history entry and the attempt. 23 before the form posted to /policies/acknowledge/<page id>/, 12
# before the version was read with the page.
ACKNOWLEDGE_QUERIES = 11


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
