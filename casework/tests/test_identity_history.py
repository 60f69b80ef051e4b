"""A child's identity history: adoption can bring a new legal name and a new UPN; the former ones are kept."""

import datetime
import io
import json
import zipfile

import pytest
from django.utils.html import escape

from casework.child_forms import DATE_IN_FUTURE, REASON_NEEDED
from casework.models import CaseAuditEvent, Child, IdentityChange
from conftest import sign_in
from trust.tests.factories import UserFactory

from .factories import ChildFactory, add_terms, make_upn

NEW_UPN = make_upn(9999)


@pytest.fixture
def child(personas):
    add_terms(personas.brook, 2026)
    return ChildFactory(school=personas.brook, legal_first_name="Formerfirst", legal_last_name="Formerlast")


def _form(child, **changes):
    data = {
        "legal_first_name": child.legal_first_name,
        "legal_last_name": child.legal_last_name,
        "preferred_name": child.preferred_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "upn": child.upn,
        "school": child.school_id,
        "year_group": child.year_group,
        "cohort": child.cohort,
        "entered_care_on": child.entered_care_on.isoformat(),
        "started_on": child.started_on.isoformat(),
        "sen_status": child.sen_status,
        "responsible_authority": child.responsible_authority_id,
        "identity_change_reason": "",
        "identity_change_effective_on": "",
    }
    data.update(changes)
    return data


def _adopt(client, child, **extra):
    changes = {
        "legal_last_name": "Newlast",
        "upn": NEW_UPN,
        "cohort": "previously_looked_after",
        "identity_change_reason": "adoption",
        "identity_change_effective_on": "2026-10-01",
    }
    return client.post(f"/admin/casework/child/edit/{child.pk}/", _form(child, **(changes | extra)))


def test_an_adoption_in_the_admin_keeps_the_former_name_and_upn(client, personas, child):
    former_upn = child.upn
    sign_in(client, personas.dt)
    response = _adopt(client, child)
    assert response.status_code == 302, response.content.decode()[:2000]
    child.refresh_from_db()
    assert (child.legal_last_name, child.upn) == ("Newlast", NEW_UPN)
    change = IdentityChange.objects.get(child=child)
    assert change.previous_legal_name == "Formerfirst Formerlast"
    assert change.previous_upn == former_upn
    assert change.effective_on == datetime.date(2026, 10, 1)
    assert change.reason == "adoption" and change.recorded_by == personas.dt
    assert [c.cohort for c in child.cohort_history.all()][-1] == "previously_looked_after"


def test_a_change_of_legal_name_without_a_reason_is_refused_with_a_plain_message(client, personas, child):
    sign_in(client, personas.dt)
    response = client.post(f"/admin/casework/child/edit/{child.pk}/", _form(child, legal_first_name="Other"))
    assert response.status_code == 200
    assert escape(REASON_NEEDED) in response.content.decode()
    child.refresh_from_db()
    assert child.legal_first_name == "Formerfirst"
    assert not IdentityChange.objects.exists()


def test_a_change_of_upn_alone_also_needs_a_reason(client, personas, child):
    sign_in(client, personas.dt)
    response = client.post(f"/admin/casework/child/edit/{child.pk}/", _form(child, upn=NEW_UPN))
    assert response.status_code == 200
    assert escape(REASON_NEEDED) in response.content.decode()


def test_a_change_in_the_future_is_refused(client, personas, child):
    sign_in(client, personas.dt)
    response = _adopt(client, child, identity_change_effective_on="2099-01-01")
    assert response.status_code == 200
    assert escape(DATE_IN_FUTURE) in response.content.decode()


def test_other_edits_need_no_reason_and_write_no_identity_history(client, personas, child):
    sign_in(client, personas.dt)
    # The same UPN typed in lower case is the same UPN.
    data = _form(child, preferred_name="Sunny", upn=child.upn.lower())
    assert client.post(f"/admin/casework/child/edit/{child.pk}/", data).status_code == 302
    assert not IdentityChange.objects.exists()


def test_a_new_child_is_not_asked_for_a_reason(client, personas):
    sign_in(client, personas.dt)
    form = client.get("/admin/casework/child/create/").content.decode()
    assert 'name="identity_change_reason"' not in form
    assert (
        'name="identity_change_reason"'
        in client.get(f"/admin/casework/child/edit/{ChildFactory(school=personas.brook).pk}/").content.decode()
    )


def test_a_change_outside_the_admin_is_kept_too(child):
    child.legal_first_name = "Corrected"
    child.save()
    change = child.identity_history.get()
    assert change.previous_legal_first_name == "Formerfirst" and change.reason == ""


def test_the_history_is_shown_on_the_childs_page_to_the_designated_teacher_only(client, personas, child):
    former_upn = child.upn
    sign_in(client, personas.dt)
    _adopt(client, child)
    page = client.get(f"/casework/children/{child.pk}/").content.decode()
    assert "Formerfirst Formerlast" in page and former_upn in page and "Adoption" in page
    for who in ("dt_castle", "head", "admin", "staff", "governor"):
        sign_in(client, getattr(personas, who))
        for url in (f"/casework/children/{child.pk}/", f"/casework/children/{child.pk}/access-log/", "/casework/"):
            assert former_upn not in client.get(url).content.decode(), (who, url)


@pytest.mark.parametrize("size", [1, 3])
def test_the_childs_page_takes_the_same_queries_whatever_the_length_of_the_history(
    client, personas, child, size, django_assert_num_queries
):
    for n in range(size):
        IdentityChange.objects.create(
            child=child,
            previous_legal_first_name=f"Was{n}",
            previous_legal_last_name="Formerlast",
            effective_on=datetime.date(2026, 1, 1 + n),
            recorded_by=UserFactory(first_name=f"Recorder{n}"),
        )
    sign_in(client, personas.dt)
    client.get("/")  # the first request opens the session
    with django_assert_num_queries(CHILD_PAGE_QUERIES):
        page = client.get(f"/casework/children/{child.pk}/").content.decode()
    assert all(f"Was{n} Formerlast" in page and f"Recorder{n}" in page for n in range(size))


# The child's page, for a child with no delegation. The identity history is prefetched with each recorder
# joined in, so a longer history adds no query (it took one query per recorder before).
CHILD_PAGE_QUERIES = 23  # the plan (targets with progress and activities, placements, plans, activities) and care episodes


def test_the_history_never_reaches_a_log_label_or_a_list(client, personas, child):
    former_upn = child.upn
    sign_in(client, personas.dt)
    _adopt(client, child)
    change = IdentityChange.objects.get()
    assert "Formerlast" not in str(change) and former_upn not in str(change)
    for event in CaseAuditEvent.objects.all():
        assert "Formerlast" not in event.payload() and former_upn not in event.payload()
    for url in ("/casework/", "/admin/casework/child/", f"/casework/children/{child.pk}/access-log/"):
        page = client.get(url).content.decode()
        assert "Formerlast" not in page and former_upn not in page, url
    sign_in(client, personas.dpo)
    assert former_upn not in client.get(f"/casework/children/{child.pk}/access-log/").content.decode()


def test_a_former_upn_finds_the_child_in_the_casework_admin_search(client, personas, child):
    former_upn = child.upn
    ChildFactory(school=personas.castle, legal_first_name="Elsewhere")
    sign_in(client, personas.dt)
    _adopt(client, child)
    page = client.get("/admin/casework/child/", {"q": former_upn}).content.decode()
    assert "Newlast" in page and "Formerlast" not in page
    sign_in(client, personas.dt_castle)  # another school's DT finds nothing by it
    assert "Newlast" not in client.get("/admin/casework/child/", {"q": former_upn}).content.decode()


def test_the_subject_access_export_includes_the_identity_history(client, personas, child, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    former_upn = child.upn
    sign_in(client, personas.dt)
    _adopt(client, child)
    sign_in(client, personas.dpo)
    response = client.post(f"/casework/children/{child.pk}/subject-access-export/", {"reference": "SAR-1"})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    history = json.loads(archive.read("record.json"))["child"]["identity_history"]
    assert [(h["previous_upn"], h["reason"]["value"]) for h in history] == [(former_upn, "adoption")]


def test_deleting_a_child_takes_its_identity_history(child):
    child.legal_first_name = "Corrected"
    child.save()
    Child.objects.filter(pk=child.pk).delete()
    assert not IdentityChange.objects.exists()
