"""Deadline rules in the casework admin: schools' rules are their DT's, trust and LA rules the trust's keepers'.

The GET screens for every persona are in the URL matrix (url_expectations.DEADLINE_RULES); these tests
post the forms, in scope and out of it, and follow a changed rule to a child's due date.
"""

import datetime

import pytest
import time_machine
from django.utils.html import escape

from casework.models import CaseAuditEvent, DeadlineRule, Review
from casework.rule_forms import PLACE_IS_FIXED, SCHOOLS_ARE_THEIR_DTS, TRUST_ONLY
from conftest import sign_in

from .factories import ChildFactory, LocalAuthorityFactory, add_terms

KEEPERS = ["head", "admin"]
NO_RULES = ["staff", "governor", "nobody"]


@pytest.fixture
def rules(personas):
    la = LocalAuthorityFactory(name="Gateshead")
    return {
        "brook": DeadlineRule.objects.create(kind="transfer", days=15, unit="school", school=personas.brook),
        "castle": DeadlineRule.objects.create(kind="transfer", days=15, unit="school", school=personas.castle),
        "trust": DeadlineRule.objects.create(kind="review_report", days=5, unit="school"),
        "la": DeadlineRule.objects.create(kind="initial_pep", days=20, unit="working", local_authority=la),
        "la_authority": la,
    }


def _rule(kind="initial_pep", days=12, unit="school", **place):
    return {"kind": kind, "days": str(days), "unit": unit, **{k: str(v) for k, v in place.items()}}


def _create(client, data):
    return client.post("/admin/casework/deadlinerule/create/", data)


def _edit(client, rule, data):
    return client.post(f"/admin/casework/deadlinerule/edit/{rule.pk}/", data)


def _says(response, message):
    return escape(message) in response.content.decode()


def _refused(response):
    if response.status_code == 302:  # the admin's refusal, or sign-in for people with no admin access
        return response.url == "/admin/" or response.url.startswith("/accounts/login/")
    return response.status_code in (403, 404)


# --- the trust's keepers -----------------------------------------------------------------------
@pytest.mark.parametrize("who", KEEPERS)
def test_the_trusts_keepers_create_a_local_authority_rule(client, personas, rules, who):
    sign_in(client, getattr(personas, who))
    la = LocalAuthorityFactory(name="Shropshire")
    response = _create(client, _rule(local_authority=la.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = DeadlineRule.objects.get(local_authority=la)
    assert (rule.kind, rule.days, rule.school_id) == ("initial_pep", 12, None)
    assert CaseAuditEvent.objects.filter(action="create", object_type="deadlinerule", object_id=str(rule.pk)).exists()


@pytest.mark.parametrize("who", KEEPERS)
def test_the_trusts_keepers_create_a_trust_wide_rule(client, personas, rules, who):
    sign_in(client, getattr(personas, who))
    response = _create(client, _rule(kind="transfer", days=10))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DeadlineRule.objects.filter(kind="transfer", school=None, local_authority=None, days=10).exists()


@pytest.mark.parametrize("who", KEEPERS)
def test_the_trusts_keepers_edit_and_delete_trust_and_la_rules(client, personas, rules, who):
    sign_in(client, getattr(personas, who))
    assert _edit(client, rules["la"], _rule(days=25, unit="working")).status_code == 302
    assert _edit(client, rules["trust"], _rule(kind="review_report", days=7)).status_code == 302
    rules["la"].refresh_from_db()
    rules["trust"].refresh_from_db()
    assert (rules["la"].days, rules["la"].local_authority_id) == (25, rules["la_authority"].pk)
    assert rules["trust"].days == 7
    assert client.post(f"/admin/casework/deadlinerule/delete/{rules['trust'].pk}/").status_code == 302
    assert not DeadlineRule.objects.filter(pk=rules["trust"].pk).exists()


@pytest.mark.parametrize("who", KEEPERS)
def test_the_trusts_keepers_read_every_schools_rules_but_do_not_change_them(client, personas, rules, who):
    sign_in(client, getattr(personas, who))
    listing = client.get("/admin/casework/deadlinerule/").content.decode()
    assert "Brook Primary School" in listing and "Castle Academy" in listing and "Gateshead" in listing
    for school in ("brook", "castle"):
        rule = rules[school]
        assert client.get(f"/admin/casework/deadlinerule/inspect/{rule.pk}/").status_code == 200
        assert _refused(_edit(client, rule, _rule(kind="transfer", days=1)))
        assert _refused(client.post(f"/admin/casework/deadlinerule/delete/{rule.pk}/"))
        rule.refresh_from_db()
        assert rule.days == 15


@pytest.mark.parametrize("who", KEEPERS)
def test_a_keeper_cannot_forge_a_schools_rule(client, personas, rules, who):
    sign_in(client, getattr(personas, who))
    form = client.get("/admin/casework/deadlinerule/create/").content.decode()
    assert 'name="local_authority"' in form and 'name="school"' not in form
    response = _create(client, _rule(kind="pep_review", school=personas.brook.pk))
    assert response.status_code == 200
    assert _says(response, SCHOOLS_ARE_THEIR_DTS)
    assert not DeadlineRule.objects.filter(kind="pep_review").exists()


def test_the_keepers_see_no_child_and_no_other_casework(client, personas, rules):
    child = ChildFactory(school=personas.brook, legal_first_name="Rulesecret")
    for who in KEEPERS:
        sign_in(client, getattr(personas, who))
        page = client.get("/admin/").content.decode()
        assert "/admin/casework/deadlinerule/" in page and "/admin/casework/child/" not in page
        assert _refused(client.get(f"/admin/casework/child/edit/{child.pk}/"))
        assert client.get("/casework/").status_code in (403, 404)


# --- designated teachers ---------------------------------------------------------------------
def test_a_designated_teacher_is_not_offered_a_trust_or_la_rule(client, personas, rules):
    sign_in(client, personas.dt)
    form = client.get("/admin/casework/deadlinerule/create/").content.decode()
    assert 'name="school"' in form and 'name="local_authority"' not in form


def test_a_forged_la_rule_from_a_designated_teacher_is_refused_with_a_plain_message(client, personas, rules):
    sign_in(client, personas.dt)
    la = rules["la_authority"]
    for data in (
        _rule(kind="pep_review", local_authority=la.pk),
        _rule(kind="pep_review", school=personas.brook.pk, local_authority=la.pk),
    ):
        response = _create(client, data)
        assert response.status_code == 200
        assert _says(response, TRUST_ONLY)
    assert not DeadlineRule.objects.filter(kind="pep_review").exists()


def test_a_designated_teacher_cannot_make_a_trust_wide_rule(client, personas, rules):
    sign_in(client, personas.dt)
    response = _create(client, _rule(kind="pep_review"))
    assert response.status_code == 200
    assert _says(response, TRUST_ONLY)
    assert not DeadlineRule.objects.filter(kind="pep_review").exists()


def test_a_designated_teacher_creates_edits_and_deletes_their_schools_rule(client, personas, rules):
    sign_in(client, personas.dt)
    assert _create(client, _rule(kind="pep_review", days=3, school=personas.meadow.pk)).status_code == 302
    rule = DeadlineRule.objects.get(kind="pep_review", school=personas.meadow)
    assert _edit(client, rules["brook"], _rule(kind="transfer", days=12)).status_code == 302
    rules["brook"].refresh_from_db()
    assert rules["brook"].days == 12
    assert client.post(f"/admin/casework/deadlinerule/delete/{rule.pk}/").status_code == 302
    assert not DeadlineRule.objects.filter(pk=rule.pk).exists()


def test_a_designated_teacher_cannot_create_a_rule_for_another_school(client, personas, rules):
    sign_in(client, personas.dt)
    response = _create(client, _rule(kind="pep_review", school=personas.castle.pk))
    assert response.status_code == 200
    assert not DeadlineRule.objects.filter(kind="pep_review").exists()


def test_a_designated_teacher_reads_but_cannot_change_trust_and_la_rules(client, personas, rules):
    sign_in(client, personas.dt)
    for key in ("trust", "la"):
        rule = rules[key]
        assert client.get(f"/admin/casework/deadlinerule/inspect/{rule.pk}/").status_code == 200
        assert _refused(_edit(client, rule, _rule(kind=rule.kind, days=1, unit=rule.unit)))
        assert _refused(client.post(f"/admin/casework/deadlinerule/delete/{rule.pk}/"))
        rule.refresh_from_db()
        assert rule.days != 1


def test_another_schools_rule_is_a_404_for_a_designated_teacher(client, personas, rules):
    sign_in(client, personas.dt)
    castle = rules["castle"]
    for action in ("inspect", "edit", "delete"):
        assert client.get(f"/admin/casework/deadlinerule/{action}/{castle.pk}/").status_code == 404
    assert client.post(f"/admin/casework/deadlinerule/delete/{castle.pk}/").status_code == 404
    assert "Castle Academy" not in client.get("/admin/casework/deadlinerule/").content.decode()


@pytest.mark.parametrize("who", ["dt", "head"])
def test_a_saved_rules_place_cannot_be_moved(client, personas, rules, who):
    sign_in(client, getattr(personas, who))
    rule = rules["brook"] if who == "dt" else rules["la"]
    data = _rule(kind=rule.kind, days=9, unit=rule.unit, school=personas.meadow.pk)
    response = _edit(client, rule, data)
    assert response.status_code == 200
    assert _says(response, PLACE_IS_FIXED)


@pytest.mark.parametrize("who", NO_RULES)
def test_people_without_a_rule_role_cannot_post_rules(client, personas, rules, who):
    sign_in(client, getattr(personas, who))
    assert _refused(_create(client, _rule(kind="pep_review")))
    assert _refused(_edit(client, rules["trust"], _rule(kind="review_report", days=1)))
    assert _refused(client.post(f"/admin/casework/deadlinerule/delete/{rules['la'].pk}/"))
    assert not DeadlineRule.objects.filter(kind="pep_review").exists()
    assert DeadlineRule.objects.get(pk=rules["trust"].pk).days == 5


# --- the effect on a child ----------------------------------------------------------------------
@time_machine.travel(datetime.datetime(2026, 10, 14, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_a_changed_la_rule_changes_a_childs_pep_due_date_with_its_unit(client, personas, rules):
    add_terms(personas.brook, 2026)
    child = ChildFactory(
        school=personas.brook,
        started_on=datetime.date(2026, 10, 12),
        entered_care_on=datetime.date(2026, 1, 5),
        responsible_authority=rules["la_authority"],
    )
    # Its statutory reviews are up to date, so the PEP is its next deadline.
    Review.objects.create(child=child, kind="statutory", held_on=datetime.date(2026, 10, 1), representative="DT")
    sign_in(client, personas.dt)
    home = client.get("/casework/").content.decode()
    # 20 working days from 12 Oct: half term counts -> 9 Nov.
    assert "9 Nov 2026" in home and "within 20 working days" in home

    sign_in(client, personas.head)
    assert _edit(client, rules["la"], _rule(days=20, unit="school")).status_code == 302

    sign_in(client, personas.dt)
    home = client.get("/casework/").content.decode()
    assert "16 Nov 2026" in home and "within 20 school days" in home
    assert "16 Nov 2026" in client.get(f"/casework/children/{child.pk}/").content.decode()
