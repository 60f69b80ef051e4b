"""The designated teacher's workspace (issue 14): any of the child's PEPs opens on the child's page (`?pep=`), every
add and edit starts there and returns there, a bound form shows the child or PEP as text (never a select), and the
casework lists say to add from the child's page instead of offering an Add button that asks which child."""

import datetime

import pytest

from casework.models import PPPlusRequest
from conftest import sign_in

from .factories import ChildFactory, PEPFactory, TargetFactory, add_terms


@pytest.fixture
def world(personas):
    """Millie (brook) with a signed-off Autumn PEP and a Spring PEP being written; Theo (brook) with his own PEP."""
    add_terms(personas.brook, 2026)
    millie = ChildFactory(
        school=personas.brook, legal_first_name="Amelia", preferred_name="Millie", legal_last_name="Ward"
    )
    autumn = PEPFactory(child=millie, complete=True, signed_off=True)
    spring = PEPFactory(
        child=millie,
        term="spring",
        period_starts_on=datetime.date(2027, 1, 4),
        period_ends_on=datetime.date(2027, 3, 25),
    )
    theo = ChildFactory(
        school=personas.brook, legal_first_name="Theodore", preferred_name="Theo", legal_last_name="Ward"
    )
    return {"millie": millie, "autumn": autumn, "spring": spring, "theo_pep": PEPFactory(child=theo)}


def test_the_pep_being_written_opens_on_the_childs_page_with_every_add_bound_to_it(client, personas, world):
    millie, spring = world["millie"], world["spring"]
    sign_in(client, personas.dt)
    page = client.get(f"/casework/children/{millie.pk}/?pep={spring.pk}").content.decode()
    assert '<h2 id="plan">The plan: PEP Spring 2026/27</h2>' in page
    assert f'href="/admin/casework/target/create/?pep={spring.pk}"' in page
    assert f'href="/admin/casework/ppplusrequest/create/?pep={spring.pk}"' in page
    assert f'href="/admin/casework/suspension/create/?child={millie.pk}"' in page
    # Editing returns to this PEP's plan on the page; the previous PEP's target is there to evaluate.
    back = f"%2Fcasework%2Fchildren%2F{millie.pk}%2F%3Fpep%3D{spring.pk}%23plan"
    assert f'href="/admin/casework/pep/edit/{spring.pk}/?next={back}#panel-child-previous_target_evaluations' in page
    assert "Evaluate the previous PEP&#x27;s targets" in page
    # Without `?pep=`, the plan is the current PEP (here the signed-off Autumn one), and each PEP's card opens its own.
    page = client.get(f"/casework/children/{millie.pk}/").content.decode()
    assert '<h2 id="plan">The plan: PEP Autumn 2026/27</h2>' in page
    assert f'href="/casework/children/{millie.pk}/?pep={spring.pk}#plan">Open its plan</a>' in page


@pytest.mark.parametrize("value", ["abc", "²", "9" * 5000, "1\x00", "-1", ""])
def test_an_odd_pep_on_the_childs_page_is_not_found(client, personas, world, value):
    sign_in(client, personas.dt)
    assert client.get(f"/casework/children/{world['millie'].pk}/", {"pep": value}).status_code == 404


def test_another_childs_pep_never_opens_on_this_childs_page(client, personas, world):
    sign_in(client, personas.dt)
    other = world["theo_pep"]
    assert client.get(f"/casework/children/{world['millie'].pk}/?pep={other.pk}").status_code == 404


def test_a_status_move_returns_to_that_peps_plan_with_one_message_per_missing_part(client, personas, world):
    millie, spring = world["millie"], world["spring"]
    sign_in(client, personas.dt)
    response = client.post(f"/casework/peps/{spring.pk}/status/", {"status": "in_progress"})
    assert response.status_code == 302 and response.url == f"/casework/children/{millie.pk}/?pep={spring.pk}#plan"
    page = client.post(f"/casework/peps/{spring.pk}/status/", {"status": "ready"}, follow=True).content.decode()
    errors = page.count('class="message message--error"')
    assert errors == 4, page  # target, child's views, attendance, the previous PEP's target
    assert "Evaluate the previous PEP&#x27;s targets (met, partly met or not met): 1 still to evaluate." in page


def test_an_edit_started_from_the_childs_page_returns_there(client, personas, world):
    millie, spring = world["millie"], world["spring"]
    sign_in(client, personas.dt)
    back = f"/casework/children/{millie.pk}/?pep={spring.pk}#plan"
    target = TargetFactory(pep=spring, by_when=datetime.date(2027, 3, 19))
    form = client.get(f"/admin/casework/target/edit/{target.pk}/", {"next": back}).content.decode()
    assert f'action="/admin/casework/target/edit/{target.pk}/?next=%2Fcasework%2Fchildren%2F' in form
    data = {
        "pep": spring.pk,
        "area": "Spelling",
        "what": target.what,
        "how_measured": target.how_measured,
        "baseline": target.baseline,
        "target": target.target,
        "by_when": "2027-03-19",
        "who": target.who,
        "status": "on_track",
        "ppplus_allocated": "0",
        "ppplus_spent": "0",
        "progress_notes-TOTAL_FORMS": "0",
        "progress_notes-INITIAL_FORMS": "0",
        "progress_notes-MIN_NUM_FORMS": "0",
        "progress_notes-MAX_NUM_FORMS": "1000",
    }
    from urllib.parse import urlencode

    response = client.post(f"/admin/casework/target/edit/{target.pk}/?{urlencode({'next': back})}", data)
    assert response.status_code == 302 and response.url == back
    target.refresh_from_db()
    assert target.area == "Spelling"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://elsewhere.example/casework/children/1/",
        "//elsewhere.example/casework/children/1/",
        "/admin/",
        "/casework/children/1/\x00",
    ],
)
def test_an_edit_never_returns_anywhere_but_a_childs_page(client, personas, world, next_url):
    sign_in(client, personas.dt)
    spring = world["spring"]
    response = client.post(
        f"/admin/casework/pep/edit/{spring.pk}/?next={next_url}",
        {
            "academic_year": "2026/27",
            "term": "spring",
            "period_starts_on": "2027-01-04",
            "period_ends_on": "2027-03-25",
            "attendees": "",
            "previous_target_evaluations-TOTAL_FORMS": "1",
            "previous_target_evaluations-INITIAL_FORMS": "1",
            "previous_target_evaluations-MIN_NUM_FORMS": "0",
            "previous_target_evaluations-MAX_NUM_FORMS": "1000",
            "previous_target_evaluations-0-id": spring.previous_target_evaluations.get().pk,
            "previous_target_evaluations-0-outcome": "met",
            "previous_target_evaluations-0-note": "Done.",
        },
    )
    assert response.status_code == 302 and response.url == "/admin/casework/pep/", response.content.decode()[:500]


def test_a_bound_form_shows_the_child_or_pep_as_text_never_a_select(client, personas, world):
    millie, spring = world["millie"], world["spring"]
    sign_in(client, personas.dt)
    for url, shown in (
        (f"/admin/casework/pep/create/?child={millie.pk}", "Millie Ward"),
        (f"/admin/casework/review/create/?child={millie.pk}", "Millie Ward"),
        (f"/admin/casework/target/create/?pep={spring.pk}", "Millie Ward: PEP Spring 2026/27"),
        (f"/admin/casework/ppplusrequest/create/?pep={spring.pk}", "Millie Ward: PEP Spring 2026/27"),
        (f"/admin/casework/pep/edit/{spring.pk}/", "Millie Ward"),
    ):
        form = client.get(url).content.decode()
        assert 'name="child"' not in form and 'name="pep"' not in form, url
        assert '<p class="fixed-choice" data-fixed="' in form and f">{shown}</p>" in form, url
        assert "Theo Ward" not in form, url


def test_a_pp_plus_request_started_from_the_page_lands_on_that_pep_whatever_is_posted(client, personas, world):
    millie, spring = world["millie"], world["spring"]
    sign_in(client, personas.dt)
    response = client.post(
        f"/admin/casework/ppplusrequest/create/?pep={spring.pk}",
        {
            "pep": world["theo_pep"].pk,  # forged: refused, nothing saved
            "local_authority": millie.responsible_authority_id,
            "requested_on": "2027-01-11",
            "amount_requested": "650",
            "purpose": "Phonics tutoring.",
            "answer": "awaiting",
            "answered_on": "",
            "amount_approved": "",
            "answer_note": "",
        },
    )
    assert response.status_code == 200
    assert "This record belongs to Millie Ward: it cannot be attached to another child&#x27;s PEP." in (
        response.content.decode()
    )
    assert not PPPlusRequest.objects.exists()


@pytest.mark.parametrize(
    "model",
    [
        "pep",
        "target",
        "linkedplan",
        "review",
        "activity",
        "placement",
        "casedocument",
        "transition",
        "sharedrecommendation",
        "suspension",
        "ppplusrequest",
        "delegation",
    ],
)
def test_a_casework_list_says_to_add_from_the_childs_page_instead_of_an_add_button(client, personas, world, model):
    sign_in(client, personas.dt)
    page = client.get(f"/admin/casework/{model}/").content.decode()
    assert f'href="/admin/casework/{model}/create/' not in page, model
    assert "is added from the child's page, so it belongs to" in page, model
    assert 'href="/casework/">Casework home</a>' in page, model


def test_the_children_list_keeps_its_add_button(client, personas, world):
    sign_in(client, personas.dt)
    page = client.get("/admin/casework/child/").content.decode()
    assert 'href="/admin/casework/child/create/"' in page
    assert "is added from the child's page" not in page


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_opening_a_peps_plan_takes_the_same_queries_whatever_its_size(client, personas, world):
    millie, spring = world["millie"], world["spring"]
    sign_in(client, personas.dt)
    client.get("/")
    page, chosen = f"/casework/children/{millie.pk}/", f"/casework/children/{millie.pk}/?pep={spring.pk}"
    _queries(client, page), _queries(client, chosen)  # the first visit fills per-session caches (the gate's)
    counts = []
    for size in (1, 4):
        while spring.targets.count() < size:
            TargetFactory(pep=spring, area=f"Area{spring.targets.count()}", by_when=datetime.date(2027, 3, 19))
        counts.append((_queries(client, page), _queries(client, chosen)))
    # The PEP being written costs a few more than the signed-off one (its sign-off check), never more per target.
    assert counts[0] == counts[1] == (27, 32), counts
