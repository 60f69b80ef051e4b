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

# The session and the user; whether the person already acknowledged the page's current version (the page by its
# id with its current version is kept for everyone for the content generation; with nothing kept, the page, its
# version and the person's receipt are one query; no site, routing or view-restriction queries: the site's
# restrictions are kept for the content generation); their memberships (the audience and the receipt's snapshot); then one
# transaction, no savepoint inside it (two statements here, as the test runs inside a transaction of its own):
# the receipt, its row in the briefing's index (training.BriefingCompletion), the briefing's generation, the
# page-history entry and the attempt. 23 before the form posted to /policies/acknowledge/<page id>/, 12
# before the version was read with the page.
ACKNOWLEDGE_QUERIES = 11
VIEW_RESTRICTIONS_READ = 2  # with nothing kept between requests: the site's view restrictions and their groups


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


@pytest.mark.parametrize("kept", [True, False], ids=["pages kept", "nothing kept"])
def test_acknowledging_takes_the_same_queries_in_a_small_and_a_larger_trust(personas, settings, kept):
    settings.PERSONAL_PAGE_CACHE = kept
    policy = make_policy("Children in Care policy")
    grow(personas, policies=1, people=2)
    first, second = UserFactory._meta.model.objects.filter(email__startswith="colleague").order_by("email")
    after_a_change = acknowledge_queries(first, policy)
    few = acknowledge_queries(personas.staff, policy)
    grow(personas, policies=10, people=0, start=1)
    for n in range(10):
        person = UserFactory(email=f"reader{n}@symphony.example")
        MembershipFactory(user=person, role=Role.STAFF, school=personas.brook)
        acknowledge(person, policy)
    again_after_a_change = acknowledge_queries(second, policy)
    many = acknowledge_queries(personas.governor, policy)
    # After a change of content, the page the person read before acknowledging kept the pages again for everyone.
    assert after_a_change == again_after_a_change == few
    expected = ACKNOWLEDGE_QUERIES if kept else ACKNOWLEDGE_QUERIES + VIEW_RESTRICTIONS_READ
    assert few == many == expected, f"{few} queries in the small trust, {many} in the larger"
