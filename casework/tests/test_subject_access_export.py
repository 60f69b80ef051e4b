"""The subject access export: one child's whole record as a ZIP, for the DPO or the child's designated teacher."""

import io
import json
import zipfile

import pytest
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
    sign_in(client, personas.admin)
    response = client.get(_url(child))
    archive = _archive(response)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Secretname" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]

    record = json.loads(archive.read("record.json"))["child"]
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


def test_the_childs_own_designated_teacher_may_export_and_sees_the_link(client, personas, child):
    sign_in(client, personas.dt)
    assert "subject-access-export" in client.get(f"/casework/children/{child.pk}/").content.decode()
    assert _archive(client.get(_url(child))).read("record.json")


def test_the_dpo_finds_the_link_on_the_access_log(client, personas, child):
    sign_in(client, personas.admin)
    assert _url(child) in client.get(f"/casework/children/{child.pk}/access-log/").content.decode()


@pytest.mark.parametrize("persona", ["dt_castle", "staff", "governor", "head", "nobody"])
def test_anyone_else_gets_404_and_nothing_is_logged_as_an_export(client, personas, child, persona):
    sign_in(client, getattr(personas, persona))
    assert client.get(_url(child)).status_code == 404
    assert not CaseAuditEvent.objects.filter(action="export").exists()


def test_an_unknown_child_is_404_even_for_the_dpo(client, personas, child):
    sign_in(client, personas.admin)
    assert client.get(f"/casework/children/{child.pk + 1000}/subject-access-export/").status_code == 404


def test_the_export_is_audited(client, personas, child):
    sign_in(client, personas.admin)
    _archive(client.get(_url(child), REMOTE_ADDR="192.0.2.7"))
    event = CaseAuditEvent.objects.get(action="export")
    assert event.child_id == child.pk and event.school_id == personas.brook.pk
    assert event.object_type == "child" and event.object_id == str(child.pk)
    assert event.user_id == personas.admin.pk and event.ip == "192.0.2.7"
    assert event.detail == "subject access export"
    assert "Secretname" not in event.payload()


# The session, the person and their memberships, the child and each prefetched relation, the audit
# events, then the audit write (its lock, the last hash, the insert, in a savepoint). Fixed: a query more
# per target (or per note) would be an N+1.
EXPORT_QUERIES = 25  # with the identity history; the session is no longer saved on every request


@pytest.mark.parametrize("targets", [1, 6])
def test_the_query_count_does_not_grow_with_the_number_of_targets(
    client, personas, child, targets, django_assert_num_queries
):
    pep = PEPFactory(child=child)
    for _ in range(targets):
        TargetProgress.objects.create(target=TargetFactory(pep=pep), note="Progress")
    sign_in(client, personas.admin)
    with django_assert_num_queries(EXPORT_QUERIES):
        archive = _archive(client.get(_url(child)))
    assert len(json.loads(archive.read("record.json"))["child"]["peps"][0]["targets"]) == targets


def test_documents_stored_on_s3_are_exported_through_the_storage_api(client, personas, child, s3_server, monkeypatch):
    case_documents_on_s3(s3_server, monkeypatch, "casework-sar-test")
    document = CaseDocumentFactory(child=child)
    sign_in(client, personas.admin)
    archive = _archive(client.get(_url(child)))
    (exported,) = json.loads(archive.read("record.json"))["child"]["documents"]
    assert exported["id"] == document.pk and not exported["file_missing"]
    assert archive.read(exported["export_path"]) == b"%PDF-1.4\n%test\n"


def test_a_missing_file_is_noted_not_fatal(client, personas, child):
    document = CaseDocumentFactory(child=child)
    document.file.storage.delete(document.file.name)
    sign_in(client, personas.admin)
    archive = _archive(client.get(_url(child)))
    (exported,) = json.loads(archive.read("record.json"))["child"]["documents"]
    assert exported["file_missing"] is True
    assert not [n for n in archive.namelist() if n.startswith("documents/")]
