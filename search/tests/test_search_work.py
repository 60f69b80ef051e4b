"""Search takes the same queries whatever the number of pages, and what a person may find is never out of date.

The set of pages a person may find is kept under the content and the person's generations
(search.sources.searchable_page_ids_for): each test below changes one thing it depends on and searches again.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import sign_in
from policy.tests.factories import make_policy
from trust.enums import Role
from trust.models import Membership
from trust.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SEARCH_QUERIES = 8  # session, user, memberships, the generations aside: the search (count, rows), the pages, the site


def body(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def add_policies(start, count):
    for n in range(start, start + count):
        make_policy(f"Registers policy {n}", slug=f"registers-{n}", body=body(f"Registers close at 9.{n:02d}."))


def search_queries(client, q="registers"):
    client.get("/search/", {"q": q})  # the first search works out what the person may find
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_search_takes_the_same_queries_with_two_or_twelve_matching_policies(client, personas):
    sign_in(client, personas.staff)
    add_policies(0, 2)
    few, html = search_queries(client)
    assert "/policies/registers-1/" in html
    add_policies(2, 10)
    many, html = search_queries(client)
    assert html.count("/policies/registers-") >= 10
    assert few == many == SEARCH_QUERIES


def test_a_newly_published_policy_is_found_at_once(client, personas):
    add_policies(0, 1)
    sign_in(client, personas.staff)
    search_queries(client, "uniform")
    make_policy("Uniform policy", body=body("Blazers are navy."))
    assert "/policies/uniform-policy/" in client.get("/search/", {"q": "blazers"}).content.decode()


def test_a_new_role_finds_its_policies_at_once(client, personas):
    make_policy("Governors' visits policy", audience_roles=[Role.GOVERNOR], body=body("Each monitoring visit."))
    sign_in(client, personas.staff)
    assert "/policies/governors-visits-policy/" not in search_queries(client, "monitoring")[1]
    MembershipFactory(user=personas.staff, role=Role.GOVERNOR, school=personas.brook)
    assert "/policies/governors-visits-policy/" in client.get("/search/", {"q": "monitoring"}).content.decode()


def test_a_leaver_can_no_longer_search(client, personas):
    add_policies(0, 1)
    sign_in(client, personas.staff)
    search_queries(client)
    Membership.objects.filter(user=personas.staff).update(ended_on=timezone.localdate() - datetime.timedelta(days=1))
    for membership in Membership.objects.filter(user=personas.staff):
        membership.save()  # as the admin's form does: the save renews the generations
    assert client.get("/search/", {"q": "registers"}).status_code == 403


def test_what_one_person_may_find_is_never_used_for_another(client, personas):
    make_policy("Governors' visits policy", audience_roles=[Role.GOVERNOR], body=body("Each monitoring visit."))
    sign_in(client, personas.governor)
    assert "/policies/governors-visits-policy/" in search_queries(client, "monitoring")[1]
    client.logout()
    sign_in(client, personas.staff)
    assert "/policies/governors-visits-policy/" not in client.get("/search/", {"q": "monitoring"}).content.decode()
