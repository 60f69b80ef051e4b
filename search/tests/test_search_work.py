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
from policy.models import PolicyPage
from policy.tests.factories import make_policy
from trust.enums import Role
from trust.models import Membership
from trust.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

# Session, user, memberships, the generations aside: the search's rows; what the list shows of each page is kept
# (search/results.py). A full page of results also asks for their number. Before: 8 whatever the results.
SEARCH_QUERIES = 4
FULL_PAGE_QUERIES = 5


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


def test_search_takes_the_same_queries_with_twelve_or_twenty_four_matching_policies(client, personas):
    sign_in(client, personas.staff)
    add_policies(0, 12)
    few, html = search_queries(client)
    assert "12 results" in html and html.count('href="/policies/registers-') == 10
    add_policies(12, 12)
    many, html = search_queries(client)
    assert "24 results" in html and "Page 1 of 3" in html
    assert few == many == FULL_PAGE_QUERIES


def test_a_short_list_of_results_is_not_counted_again(client, personas):
    sign_in(client, personas.staff)
    add_policies(0, 2)
    queries, html = search_queries(client)
    assert "2 results" in html and '<a href="/policies/registers-1/">' in html
    assert queries == SEARCH_QUERIES


def test_the_last_page_and_a_page_past_it_show_the_last_results(client, personas):
    sign_in(client, personas.staff)
    add_policies(0, 12)
    for page in ("2", "9", "0", "x"):
        html = client.get("/search/", {"q": "registers", "page": page}).content.decode()
        assert "12 results" in html
        expected = 10 if page == "x" else 2  # past either end: the last page; not a number: the first
        assert html.count('href="/policies/registers-') == expected, page


def test_a_retitled_or_moved_page_shows_its_new_title_and_address_at_once(client, personas):
    add_policies(0, 1)
    sign_in(client, personas.staff)
    assert '<a href="/policies/registers-0/"><mark>Registers</mark> policy 0</a>' in search_queries(client)[1]
    page = PolicyPage.objects.get(slug="registers-0")
    page.title = "Attendance registers policy"
    page.slug = "attendance-registers"
    page.save_revision().publish()
    html = client.get("/search/", {"q": "registers"}).content.decode()
    assert '<a href="/policies/attendance-registers/">Attendance <mark>registers</mark> policy</a>' in html
    assert "/policies/registers-0/" not in html


def test_an_unpublished_page_is_no_longer_found(client, personas):
    add_policies(0, 2)
    sign_in(client, personas.staff)
    assert "/policies/registers-0/" in search_queries(client)[1]
    PolicyPage.objects.get(slug="registers-0").unpublish()
    html = client.get("/search/", {"q": "registers"}).content.decode()
    assert "/policies/registers-0/" not in html and "1 result " in html


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


def test_the_search_statement_is_built_once_and_its_rows_read_afresh_every_time(client, personas, monkeypatch):
    from search import compiled

    built = []
    build = compiled._statement
    monkeypatch.setattr(compiled, "_statement", lambda *args: built.append(args) or build(*args))
    add_policies(0, 2)
    sign_in(client, personas.staff)
    assert "2 results" in search_queries(client)[1]
    assert len(built) == 1
    # Unpublished by a queryset update: no signal, no new generation, so the kept statement is used again, and
    # still the page is gone at once (its rows are read on every search).
    PolicyPage.objects.filter(slug="registers-0").update(live=False)
    html = client.get("/search/", {"q": "registers"}).content.decode()
    assert "/policies/registers-0/" not in html and "1 result " in html
    assert len(built) == 1
    client.get("/search/", {"q": "registers policy"})  # other words: a statement of their own
    assert len(built) == 2
