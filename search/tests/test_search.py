import time

import pytest
from wagtail.rich_text import RichText

from conftest import sign_in
from trust.enums import Role

pytestmark = pytest.mark.django_db

NASTY_QUERIES = [
    "",
    " ",
    '"',
    '""',
    "'",
    '"unclosed phrase',
    "AND",
    "OR NOT",
    "fire AND safety OR NOT drill",
    "NEAR(fire safety)",
    "*",
    "fire*",
    "-fire",
    "+fire +safety",
    "~fire",
    "fire^2",
    "title:fire",
    "()",
    "(((",
    "[]{}",
    "\\",
    "%",
    "_",
    "%_%",
    "'; DROP TABLE wagtailcore_page; --",
    "<script>alert(1)</script>",
    "&&||!",
    "....",
    "?!?!",
    "\x00",
    "\u200b",
    "\u202eevil",
    "🙂🔥",
    "日本語のテキスト",
    "ﬁre",
    "né café Ça",
    "ä" * 500,
    "x" * 5000,
    "fire " * 300,
    " ".join(f"word{n}" for n in range(200)),
]


def test_a_staff_member_finds_a_live_training_module_with_the_match_highlighted(client, personas, make_module):
    make_module("Fire safety", paragraphs=["Leave by the nearest evacuation route and meet at the muster point."])
    sign_in(client, personas.staff)
    response = client.get("/search/", {"q": "evacuation"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fire safety" in html
    assert "<mark>evacuation</mark>" in html
    assert "1 result for" in html


def test_a_draft_is_never_found(client, personas, make_module):
    make_module("Unpublished drill", paragraphs=["Zebracrossing drill."], publish=False)
    sign_in(client, personas.head)
    assert "Unpublished drill" not in client.get("/search/", {"q": "zebracrossing"}).content.decode()


def test_an_earlier_revision_and_an_unpublished_draft_are_never_found(client, personas, make_module):
    module = make_module("First aid", paragraphs=["Oldwording about plasters."])
    module.body = [("paragraph", RichText("<p>Newwording about bandages.</p>"))]
    module.save_revision().publish()
    module.refresh_from_db()
    module.body = [("paragraph", RichText("<p>Draftwording not yet published.</p>"))]
    module.save_revision()
    sign_in(client, personas.staff)
    assert "No results" in client.get("/search/", {"q": "oldwording"}).content.decode()
    assert "No results" in client.get("/search/", {"q": "draftwording"}).content.decode()
    assert "First aid" in client.get("/search/", {"q": "newwording"}).content.decode()


def test_a_page_outside_the_persons_audience_is_never_found(client, personas, make_module):
    make_module("Governor monitoring", roles=(Role.GOVERNOR,), paragraphs=["Quorate boards monitor."])
    sign_in(client, personas.staff)
    assert "Governor monitoring" not in client.get("/search/", {"q": "quorate"}).content.decode()
    client.logout()
    sign_in(client, personas.governor)
    assert "Governor monitoring" in client.get("/search/", {"q": "quorate"}).content.decode()


def test_pages_that_are_not_policy_guidance_or_training_are_never_found(client, personas, make_module):
    from home.models import HomePage

    home = HomePage.objects.get()
    home.title = "Dashboard hippopotamus"
    home.save_revision().publish()
    sign_in(client, personas.head)
    assert "No results" in client.get("/search/", {"q": "hippopotamus"}).content.decode()


def test_casework_never_appears_in_search_even_for_the_designated_teacher(client, personas, make_module):
    from datetime import date

    from casework.models import Child
    from search.sources import SOURCES

    assert all("casework" not in source.__module__ for source in SOURCES)
    make_module("Children in care essentials", paragraphs=["Every child in care has a PEP."])
    Child.objects.create(
        school=personas.brook,
        legal_first_name="Quillon",
        legal_last_name="Brightwater",
        date_of_birth=date(2016, 5, 1),
        year_group="4",
        started_on=date(2025, 9, 3),
    )
    for persona in (personas.dt, personas.head, personas.staff):
        client.logout()
        sign_in(client, persona)
        response = client.get("/search/", {"q": "Quillon Brightwater"})
        assert "No results" in response.content.decode()
        found = client.get("/search/", {"q": "child in care"})
        assert all(
            item["page"].model.split(".")[0] != "casework" for item in found.context["items"]
        )


def test_results_are_paginated(client, personas, make_module):
    for n in range(12):
        make_module(f"Module {n}", paragraphs=["Common kangaroo content."])
    sign_in(client, personas.staff)
    first = client.get("/search/", {"q": "kangaroo"})
    assert len(first.context["items"]) == 10 and first.context["paginator"].count == 12
    second = client.get("/search/", {"q": "kangaroo", "page": 2})
    assert len(second.context["items"]) == 2
    assert client.get("/search/", {"q": "kangaroo", "page": "99"}).status_code == 200
    assert client.get("/search/", {"q": "kangaroo", "page": "x"}).status_code == 200


def test_a_person_with_no_role_cannot_search(client, personas):
    sign_in(client, personas.nobody)
    assert client.get("/search/", {"q": "policy"}).status_code == 403


@pytest.mark.parametrize("query", NASTY_QUERIES, ids=lambda q: repr(q[:20]))
def test_nasty_queries_answer_quickly_and_never_error(client, personas, make_module, query):
    make_module("Fire safety", paragraphs=["Fire drill every term."])
    sign_in(client, personas.staff)
    started = time.monotonic()
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert time.monotonic() - started < 2
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert len(response.context["search_query"]) <= 200


def test_the_query_is_capped_at_200_characters(client, personas):
    sign_in(client, personas.staff)
    response = client.get("/search/", {"q": "a" * 1000})
    assert response.context["search_query"] == "a" * 200


def test_policies_are_found_only_by_people_in_their_audience(client, personas):
    from policy.tests.factories import make_policy

    make_policy(
        "Governors' visits policy",
        audience_roles=[Role.GOVERNOR],
        body=[{"type": "paragraph", "value": "<p>Governors record each monitoring visit.</p>"}],
    )
    make_policy("Attendance policy", body=[{"type": "paragraph", "value": "<p>Registers close at 9.15.</p>"}])
    sign_in(client, personas.staff)
    staff_view = client.get("/search/", {"q": "monitoring visit"}).content.decode()
    assert "/policies/governors-visits-policy/" not in staff_view
    found = client.get("/search/", {"q": "registers"}).content.decode()
    assert "Attendance policy" in found and "<mark>Registers</mark>" in found
    client.logout()
    sign_in(client, personas.governor)
    governor_view = client.get("/search/", {"q": "monitoring visit"}).content.decode()
    assert "/policies/governors-visits-policy/" in governor_view and "<mark>monitoring</mark>" in governor_view


def test_a_draft_policy_is_never_found(client, personas):
    from policy.tests.factories import make_policy

    make_policy("Uniform policy", publish_it=False, body=[{"type": "paragraph", "value": "<p>Blazers.</p>"}])
    sign_in(client, personas.head)
    assert "No results" in client.get("/search/", {"q": "blazers"}).content.decode()


@pytest.mark.parametrize("page", ["9" * 30, "-3", "0", "\x00", "1e3", "١", " 2 "])
def test_an_odd_page_number_shows_a_page_of_results_not_an_error(client, personas, make_module, page):
    for n in range(12):
        make_module(f"Module {n}", paragraphs=["Common kangaroo content."])
    sign_in(client, personas.staff)
    response = client.get("/search/", {"q": "kangaroo", "page": page})
    assert response.status_code == 200
    assert response.context["paginator"].count == 12 and response.context["items"]
