"""A record started from a child's page stays with that child: another child's PEP, document or target is
refused, from the child's page's links and straight through the modeladmin create and edit views; and every
chooser and list of casework records names the child (and the term)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import PEP, Activity, CaseDocument, LinkedPlan, Review, Target
from conftest import sign_in

from .factories import CaseDocumentFactory, ChildFactory, PEPFactory, TargetFactory, add_terms

PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def two(personas, tmp_path, settings):
    """Two children at brook (the DT's school), each with a PEP, a target and a 'Care plan' document."""
    settings.MEDIA_ROOT = tmp_path
    add_terms(personas.brook, 2026)
    world = {}
    for key, first, preferred in (("mine", "Amelia", "Millie"), ("other", "Theodore", "Theo")):
        child = ChildFactory(
            school=personas.brook, legal_first_name=first, preferred_name=preferred, legal_last_name="Ward"
        )
        pep = PEPFactory(child=child)
        world[key] = {
            "child": child,
            "pep": pep,
            "target": TargetFactory(pep=pep),
            "document": CaseDocumentFactory(child=child),
        }
    return world


def _target(pep, **extra):
    return {
        "pep": pep.pk,
        "area": "Spelling",
        "what": "Spell the year 5 words",
        "how_measured": "Weekly test",
        "baseline": "4 of 10",
        "target": "8 of 10",
        "by_when": "2026-12-11",
        "who": "Class teacher",
        "status": "not_started",
        "ppplus_allocated": "0",
        "ppplus_spent": "0",
        "progress_notes-TOTAL_FORMS": "0",
        "progress_notes-INITIAL_FORMS": "0",
        "progress_notes-MIN_NUM_FORMS": "0",
        "progress_notes-MAX_NUM_FORMS": "1000",
        **extra,
    }


def _plan(child, document):
    return {
        "child": child.pk,
        "kind": "care_plan",
        "other_kind": "",
        "dated": "2026-09-10",
        "reference": "CP-1",
        "document": document.pk,
    }


def _review(child, document):
    return {
        "child": child.pk,
        "kind": "statutory",
        "held_on": "2026-12-08",
        "report_sent_on": "2026-12-01",
        "report_document": document.pk,
        "representative": "",
        "outcome": "",
        "next_review_on": "",
    }


def _activity(child, target):
    return {
        "child": child.pk,
        "activity": "Chess club",
        "provider": "School",
        "starts_on": "2026-09-10",
        "ends_on": "",
        "attendance": "",
        "target": target.pk,
    }


def test_a_target_started_from_one_childs_pep_cannot_be_posted_to_another_childs_pep(client, personas, two):
    sign_in(client, personas.dt)
    mine, other = two["mine"], two["other"]
    form = client.get(f"/admin/casework/target/create/?pep={mine['pep'].pk}").content.decode()
    assert "Millie Ward: PEP Autumn 2026/27" in form and "Theo Ward" not in form
    assert f'action="/admin/casework/target/create/?pep={mine["pep"].pk}"' in form
    response = client.post(f"/admin/casework/target/create/?pep={mine['pep'].pk}", _target(other["pep"]))
    assert response.status_code == 200
    assert "This record belongs to Millie Ward: it cannot be attached to another child&#x27;s PEP." in (
        response.content.decode()
    )
    assert not Target.objects.filter(area="Spelling").exists()


def test_a_target_started_from_the_childs_page_lands_on_that_pep_and_goes_back_to_the_page(client, personas, two):
    sign_in(client, personas.dt)
    pep = two["mine"]["pep"]
    response = client.post(f"/admin/casework/target/create/?pep={pep.pk}", _target(pep))
    assert response.status_code == 302 and response["Location"] == (
        f"/casework/children/{two['mine']['child'].pk}/?pep={pep.pk}#plan"  # that PEP's plan on the child's page
    )
    assert Target.objects.get(area="Spelling").pep == pep


def test_editing_a_target_cannot_move_it_to_another_childs_pep(client, personas, two):
    sign_in(client, personas.dt)
    target = two["mine"]["target"]
    response = client.post(f"/admin/casework/target/edit/{target.pk}/", _target(two["other"]["pep"], area="Moved"))
    assert response.status_code == 200
    assert "Choose one of Millie Ward&#x27;s PEPs" in response.content.decode()
    target.refresh_from_db()
    assert target.pep == two["mine"]["pep"] and target.area == "Reading"


@pytest.mark.parametrize(
    ("model", "build", "field", "what"),
    [
        ("linkedplan", lambda w: _plan(w["mine"]["child"], w["other"]["document"]), "document", "documents"),
        ("review", lambda w: _review(w["mine"]["child"], w["other"]["document"]), "report_document", "documents"),
        ("activity", lambda w: _activity(w["mine"]["child"], w["other"]["target"]), "target", "targets"),
    ],
)
def test_another_childs_document_or_target_is_refused_from_the_childs_page_and_the_plain_create_view(
    client, personas, two, model, build, field, what
):
    sign_in(client, personas.dt)
    mine = two["mine"]["child"]
    counts = {m: m.objects.count() for m in (LinkedPlan, Review, Activity)}
    for url in (f"/admin/casework/{model}/create/?child={mine.pk}", f"/admin/casework/{model}/create/"):
        response = client.post(url, build(two))
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "Millie Ward" in page and ("this child" in page or f"Millie Ward&#x27;s {what}" in page), url
    assert counts == {m: m.objects.count() for m in (LinkedPlan, Review, Activity)}


@pytest.mark.parametrize(
    ("model", "make", "build"),
    [
        (
            "linkedplan",
            lambda w: LinkedPlan.objects.create(child=w["mine"]["child"], kind="iep", dated=datetime.date(2026, 9, 4)),
            lambda w: _plan(w["mine"]["child"], w["other"]["document"]),
        ),
        (
            "review",
            lambda w: Review.objects.create(child=w["mine"]["child"], kind="pep", held_on=datetime.date(2026, 12, 8)),
            lambda w: _review(w["mine"]["child"], w["other"]["document"]),
        ),
        (
            "activity",
            lambda w: Activity.objects.create(
                child=w["mine"]["child"], activity="Drama", starts_on=datetime.date(2026, 9, 4)
            ),
            lambda w: _activity(w["mine"]["child"], w["other"]["target"]),
        ),
    ],
)
def test_editing_cannot_attach_another_childs_document_or_target(client, personas, two, model, make, build):
    record = make(two)
    sign_in(client, personas.dt)
    response = client.post(f"/admin/casework/{model}/edit/{record.pk}/", build(two))
    assert response.status_code == 200
    assert "Choose one of Millie Ward&#x27;s" in response.content.decode()
    record.refresh_from_db()
    assert getattr(record, "document_id", None) is None and getattr(record, "report_document_id", None) is None
    assert getattr(record, "target_id", None) is None


@pytest.mark.parametrize("model", ["linkedplan", "review", "activity", "casedocument", "pep", "placement"])
def test_a_record_started_from_one_childs_page_cannot_be_posted_for_another_child(client, personas, two, model):
    sign_in(client, personas.dt)
    mine, other = two["mine"]["child"], two["other"]["child"]
    data = {
        "child": other.pk,
        "title": "Care plan",
        "category": "general",
        "kind": "foster",
        "dated": "2026-09-10",
        "held_on": "2026-12-08",
        "activity": "Chess",
        "starts_on": "2026-09-10",
        "carer_name": "Pat",
        "academic_year": "2026/27",
        "term": "spring",
        "period_starts_on": "2027-01-05",
        "period_ends_on": "2027-03-26",
        "file": SimpleUploadedFile("plan.pdf", PDF),
    }
    if model == "linkedplan":
        data["kind"] = "care_plan"
    if model == "review":
        data["kind"] = "statutory"
    before = {m: m.objects.filter(child=other).count() for m in (LinkedPlan, Review, Activity, CaseDocument, PEP)}
    response = client.post(f"/admin/casework/{model}/create/?child={mine.pk}", data)
    assert response.status_code == 200
    assert "This record belongs to Millie Ward: it cannot be attached to another child&#x27;s record." in (
        response.content.decode()
    )
    assert before == {
        m: m.objects.filter(child=other).count() for m in (LinkedPlan, Review, Activity, CaseDocument, PEP)
    }


def test_a_preset_outside_the_persons_schools_is_not_found(client, personas, two):
    add_terms(personas.castle, 2026)
    castle_pep = PEPFactory(child=ChildFactory(school=personas.castle, legal_first_name="Castlechild"))
    sign_in(client, personas.dt)
    assert client.get(f"/admin/casework/target/create/?pep={castle_pep.pk}").status_code == 404
    assert client.get(f"/admin/casework/review/create/?child={castle_pep.child_id}").status_code == 404
    assert client.get("/admin/casework/review/create/?child=not-a-number").status_code == 404
    for odd in ("\u00b2", "9" * 5000, "99999999999999999999", "1\x00"):
        assert client.get("/admin/casework/review/create/", {"child": odd}).status_code == 404, repr(odd[:20])
    assert client.get(f"/admin/casework/review/create/?pep={two['mine']['pep'].pk}").status_code == 404  # no pep field


def test_every_chooser_names_the_child_and_the_term(client, personas, two):
    sign_in(client, personas.dt)
    targets = client.get("/admin/casework/activity/create/").content.decode()
    assert (
        "Millie Ward, Autumn 2026/27 target: Reading" in targets
        and "Theo Ward, Autumn 2026/27 target: Reading" in targets
    )
    peps = client.get("/admin/casework/target/create/").content.decode()
    assert "Millie Ward: PEP Autumn 2026/27" in peps and "Theo Ward: PEP Autumn 2026/27" in peps
    documents = client.get("/admin/casework/linkedplan/create/").content.decode()
    assert "Care plan (Millie Ward," in documents and "Care plan (Theo Ward," in documents
    shares = client.get("/admin/casework/sharedrecommendation/create/").content.decode()
    assert "Millie Ward: PEP Autumn 2026/27" in shares
    # From a child's page, only that child's records are offered.
    bound = client.get(f"/admin/casework/activity/create/?child={two['mine']['child'].pk}").content.decode()
    assert "Millie Ward, Autumn 2026/27 target: Reading" in bound and "Theo Ward" not in bound


@pytest.mark.parametrize(
    "model",
    [
        "pep",
        "target",
        "linkedplan",
        "review",
        "activity",
        "casedocument",
        "transition",
        "sharedrecommendation",
        "placement",
    ],
)
def test_every_casework_list_names_the_child(client, personas, two, model):
    from casework.models import Placement, SharedRecommendation, Transition

    for key in ("mine", "other"):
        w = two[key]
        LinkedPlan.objects.create(child=w["child"], kind="iep", dated=datetime.date(2026, 9, 4))
        Review.objects.create(child=w["child"], kind="pep", held_on=datetime.date(2026, 12, 8))
        Activity.objects.create(child=w["child"], activity="Drama", starts_on=datetime.date(2026, 9, 4))
        Transition.objects.create(
            child=w["child"],
            receiving_school="Hill Top",
            receiving_dt_name="Rita",
            receiving_dt_email="rita@hilltop.example",
            left_on=datetime.date(2026, 11, 20),
        )
        SharedRecommendation.objects.create(pep=w["pep"], recommendation="Visual timetable", shared_with=personas.staff)
        Placement.objects.create(child=w["child"], kind="foster", carer_name="Pat", starts_on=datetime.date(2026, 1, 5))
    sign_in(client, personas.dt)
    page = client.get(f"/admin/casework/{model}/").content.decode()
    assert "Millie Ward" in page and "Theo Ward" in page
    if model in ("target", "sharedrecommendation", "pep"):
        assert "Autumn 2026/27" in page
    inspect = client.get(f"/admin/casework/target/inspect/{two['mine']['target'].pk}/").content.decode()
    assert "Millie Ward: PEP Autumn 2026/27" in inspect
