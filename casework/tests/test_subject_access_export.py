"""The subject access export: one child's whole record as a ZIP, for the data protection officer only.

The DPO confirms the child (GET shows their identity) and gives the request's reference (POST returns the
ZIP); the export is audited with the reference and the child's designated teacher is emailed."""

import io
import json
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import CaseAuditEvent, CaseDocument, PEPStatusChange, TargetProgress
from conftest import sign_in

from .factories import (
    CaseDocumentFactory,
    ChildFactory,
    PEPFactory,
    TargetFactory,
    TransitionFactory,
    add_terms,
    case_documents_on_s3,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def child(personas, media):
    add_terms(personas.brook, 2026)
    return ChildFactory(school=personas.brook, legal_first_name="Jasmine", legal_last_name="Secretname")


def _url(child):
    return f"/casework/children/{child.pk}/subject-access-export/"


def _export(client, child, reference="SAR-2026-017", **extra):
    return client.post(_url(child), {"reference": reference}, **extra)


def _archive(response):
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _upload(client, child, data=PDF):
    response = client.post(
        "/admin/casework/casedocument/create/",
        {"child": child.pk, "title": "Care plan", "category": "general", "file": SimpleUploadedFile("plan.pdf", data)},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return CaseDocument.objects.get(child=child)


def test_the_dpo_gets_the_whole_record_and_the_uploaded_files(client, personas, child):
    pep = PEPFactory(child=child)
    target = TargetFactory(pep=pep, area="Reading")
    TargetProgress.objects.create(target=target, note="Reads daily with carer")
    PEPStatusChange.objects.create(pep=pep, from_status="draft", to_status="in_progress")
    transition = TransitionFactory(child=child)
    sign_in(client, personas.dt)
    document = _upload(client, child)
    transition.documents.add(document)
    child.legal_hold = True  # a legal hold stops deletion, never a subject access export
    child.save()

    client.logout()
    sign_in(client, personas.dpo)
    response = _export(client, child)
    archive = _archive(response)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Secretname" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]

    payload = json.loads(archive.read("record.json"))
    assert payload["request_reference"] == "SAR-2026-017" and payload["exported_by_user_id"] == personas.dpo.pk
    record = payload["child"]
    assert record["id"] == child.pk and record["legal_last_name"] == "Secretname" and record["legal_hold"] is True
    assert record["date_of_birth"] == child.date_of_birth.isoformat()
    assert record["cohort"]["label"] == child.get_cohort_display()
    assert record["cohort_history"][0]["cohort"]["value"] == child.cohort
    (exported_pep,) = record["peps"]
    assert exported_pep["id"] == pep.pk and exported_pep["status"] == {"value": "draft", "label": "Draft"}
    assert exported_pep["period_starts_on"] == pep.period_starts_on.isoformat()
    assert exported_pep["status_history"][0]["to_status"]["label"] == "In progress"
    (exported_target,) = exported_pep["targets"]
    assert exported_target["id"] == target.pk and exported_target["area"] == "Reading"
    assert exported_target["progress_notes"][0]["note"] == "Reads daily with carer"
    (exported_transition,) = record["transitions"]
    assert exported_transition["document_ids"] == [document.pk] and "token_hash" not in exported_transition
    (exported_document,) = record["documents"]
    assert exported_document["file_missing"] is False
    assert archive.read(exported_document["export_path"]) == PDF
    assert exported_document["export_path"].startswith("documents/")
    assert all(e["child_id"] == child.pk for e in record["audit_events"]) and record["audit_events"]


def test_the_form_shows_who_the_child_is_and_asks_for_the_reference_before_any_zip(client, personas, child):
    sign_in(client, personas.dpo)
    response = client.get(_url(child))
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Jasmine Secretname" in page and child.date_of_birth.strftime("%-d %B %Y") in page
    assert "Brook Primary School" in page and 'name="reference"' in page
    assert "no-store" in response["Cache-Control"]
    assert not CaseAuditEvent.objects.filter(action="export").exists()
    assert CaseAuditEvent.objects.get(action="read", child_id=child.pk).user_id == personas.dpo.pk


@pytest.mark.parametrize("reference", ["", "   ", "x" * 65, "SAR\u00001"])
def test_a_missing_or_bad_reference_is_a_plain_error_and_no_zip(client, personas, child, reference):
    sign_in(client, personas.dpo)
    response = _export(client, child, reference=reference)
    page = response.content.decode()
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert "There is a problem" in page and "request reference" in page
    assert not CaseAuditEvent.objects.filter(action="export").exists()
    assert not mail.outbox


def test_the_dpo_finds_the_link_on_the_access_log(client, personas, child):
    sign_in(client, personas.dpo)
    assert _url(child) in client.get(f"/casework/children/{child.pk}/access-log/").content.decode()
    assert "/casework/access-log/" in client.get("/").content.decode()  # the DPO's way in, from the site menu


def test_the_childs_designated_teacher_neither_exports_nor_sees_the_link(client, personas, child):
    """The child is theirs to see, so the export is refused (403), not hidden; nothing is exported."""
    sign_in(client, personas.dt)
    assert _url(child) not in client.get(f"/casework/children/{child.pk}/").content.decode()
    assert client.get(_url(child)).status_code == 403
    assert _export(client, child).status_code == 403
    assert not CaseAuditEvent.objects.filter(action="export").exists()
    assert not mail.outbox


@pytest.mark.parametrize("persona", ["admin", "dt_castle", "staff", "governor", "head", "nobody"])
def test_anyone_else_gets_404_and_nothing_is_logged_as_an_export(client, personas, child, persona):
    sign_in(client, getattr(personas, persona))
    assert client.get(_url(child)).status_code == 404
    assert _export(client, child).status_code == 404
    assert not CaseAuditEvent.objects.filter(action="export").exists()
    assert not mail.outbox


def test_the_trust_administrator_cannot_export_a_real_child_nor_read_its_access_log(client, personas, child):
    sign_in(client, personas.admin)
    response = _export(client, child)
    assert response.status_code == 404 and "Secretname" not in response.content.decode()
    assert client.get(f"/casework/children/{child.pk}/access-log/").status_code == 404
    assert client.get("/casework/access-log/").status_code == 404


def test_a_trust_administrator_who_is_also_the_dpo_may_export(client, personas, child):
    from trust.enums import Role
    from trust.tests.factories import MembershipFactory

    MembershipFactory(user=personas.admin, role=Role.DATA_PROTECTION_OFFICER, school=None)
    sign_in(client, personas.admin)
    assert _archive(_export(client, child)).read("record.json")


def test_an_unknown_child_is_404_even_for_the_dpo(client, personas, child):
    sign_in(client, personas.dpo)
    assert client.get(f"/casework/children/{child.pk + 1000}/subject-access-export/").status_code == 404
    assert _export(client, child.__class__(pk=child.pk + 1000)).status_code == 404


def test_the_export_is_audited_with_its_reference(client, personas, child):
    sign_in(client, personas.dpo)
    _archive(_export(client, child, REMOTE_ADDR="192.0.2.7"))
    event = CaseAuditEvent.objects.get(action="export")
    assert event.child_id == child.pk and event.school_id == personas.brook.pk
    assert event.object_type == "child" and event.object_id == str(child.pk)
    assert event.user_id == personas.dpo.pk and event.ip == "192.0.2.7"
    assert event.detail == "subject access export, reference SAR-2026-017"
    assert "Secretname" not in event.payload()
    sign_in(client, personas.dt)  # the child's DT sees it, reference and all, in the record's access log
    page = client.get(f"/casework/children/{child.pk}/access-log/").content.decode()
    assert "subject access export, reference SAR-2026-017" in page and "dpo@symphony.example" in page


def test_the_childs_designated_teacher_is_emailed_without_the_childs_name(
    client, personas, child, django_capture_on_commit_callbacks
):
    personas.dpo.first_name, personas.dpo.last_name = "Priya", "Okafor"
    personas.dpo.save()
    sign_in(client, personas.dpo)
    with django_capture_on_commit_callbacks(execute=True):
        _archive(_export(client, child))
    (email,) = mail.outbox
    assert email.to == [personas.dt.email]  # brook's DT; castle's is not told
    assert "Brook Primary School" in email.subject and "Secretname" not in email.subject
    assert "Jasmine" not in email.subject
    for text in ("Priya Okafor", "SAR-2026-017", "Brook Primary School", f"/casework/children/{child.pk}/"):
        assert text in email.body, text
    assert "Secretname" not in email.body and "Jasmine" not in email.body and child.upn not in email.body


# The session, the person and their memberships, the child and each prefetched relation, the audit
# events, then the audit write (its lock, the last hash, the insert, in a savepoint). Fixed: a query more
# per target (or per note) would be an N+1.
# With the identity history, the designated teachers to tell, and the Children in Care gate (which now stands
# in front of every casework URL for every person, the DPO included: one query for the chosen policy).
# With a PEP's previous targets' evaluations and PP+ requests, the child's suspensions and placements.
# Three fewer since signing in writes the session once, already holding what the first page used to save.
# One fewer since the audit write takes its lock and reads the last hash in one round trip.
EXPORT_QUERIES = 27


@pytest.mark.parametrize("targets", [1, 6])
def test_the_query_count_does_not_grow_with_the_number_of_targets(
    client, personas, child, targets, django_assert_num_queries
):
    pep = PEPFactory(child=child)
    for _ in range(targets):
        TargetProgress.objects.create(target=TargetFactory(pep=pep), note="Progress")
    sign_in(client, personas.dpo)
    with django_assert_num_queries(EXPORT_QUERIES):
        archive = _archive(_export(client, child))
    assert len(json.loads(archive.read("record.json"))["child"]["peps"][0]["targets"]) == targets


def test_documents_stored_on_s3_are_exported_through_the_storage_api(client, personas, child, s3_server, monkeypatch):
    case_documents_on_s3(s3_server, monkeypatch, "casework-sar-test")
    document = CaseDocumentFactory(child=child)
    sign_in(client, personas.dpo)
    archive = _archive(_export(client, child))
    (exported,) = json.loads(archive.read("record.json"))["child"]["documents"]
    assert exported["id"] == document.pk and not exported["file_missing"]
    assert archive.read(exported["export_path"]) == b"%PDF-1.4\n%test\n"


def test_a_missing_file_is_noted_not_fatal(client, personas, child):
    document = CaseDocumentFactory(child=child)
    document.file.storage.delete(document.file.name)
    sign_in(client, personas.dpo)
    archive = _archive(_export(client, child))
    (exported,) = json.loads(archive.read("record.json"))["child"]["documents"]
    assert exported["file_missing"] is True
    assert not [n for n in archive.namelist() if n.startswith("documents/")]
