import datetime

import pytest
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase

from casework import audit
from casework.audit import verify_chain
from casework.models import CaseAuditEvent, CaseDocument, Transition
from conftest import sign_in

from .factories import (
    CaseDocumentFactory,
    ChildFactory,
    TransitionFactory,
    add_terms,
    case_documents_on_s3,
    emailed_links,
    open_transfer_link,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def child(personas):
    add_terms(personas.brook, 2026)
    return ChildFactory(school=personas.brook)


class BrokenStorage(FileSystemStorage):
    def _save(self, name, content):
        raise OSError("the file store is down")


def _upload(client, child, data=PDF, name="plan.pdf"):
    return client.post(
        "/admin/casework/casedocument/create/",
        {"child": child.pk, "title": "Care plan", "category": "general", "file": SimpleUploadedFile(name, data)},
    )


def test_a_pdf_upload_is_stored_under_a_random_name(client, personas, child, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    sign_in(client, personas.dt)
    response = _upload(client, child)
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert "plan" not in document.file.name and document.file.name.startswith("casework/")
    assert document.content_type == "application/pdf" and document.uploaded_by == personas.dt


def test_a_file_that_is_not_a_document_or_image_is_refused_by_its_content(client, personas, child, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    sign_in(client, personas.dt)
    response = _upload(client, child, data=b"MZ\x90\x00 pretend executable", name="innocent.pdf")
    assert response.status_code == 200
    assert "Upload a PDF" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, personas, child, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.CASEWORK_MAX_UPLOAD_BYTES = 10
    sign_in(client, personas.dt)
    assert "larger than" in _upload(client, child).content.decode()
    assert not CaseDocument.objects.exists()


def test_when_storage_fails_the_person_is_told_and_nothing_is_left_behind(client, personas, child, monkeypatch):
    field = CaseDocument._meta.get_field("file")
    monkeypatch.setattr(field, "storage", BrokenStorage())
    sign_in(client, personas.dt)
    response = _upload(client, child)
    assert response.status_code == 503  # the file store is down: the form comes back with the reason
    assert "could not be stored" in response.content.decode()
    assert not CaseDocument.objects.exists()
    assert not CaseAuditEvent.objects.filter(action="create").exists()


def test_documents_go_to_s3_when_configured(personas, child, s3_server, monkeypatch):
    storage = case_documents_on_s3(s3_server, monkeypatch, "casework-test")
    document = CaseDocumentFactory(child=child)
    assert storage.exists(document.file.name)
    with document.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")


def test_reads_are_logged_at_most_once_a_minute_per_person_and_record(client, personas, child):
    sign_in(client, personas.dt)
    client.get(f"/casework/children/{child.pk}/")
    client.get(f"/casework/children/{child.pk}/")
    assert CaseAuditEvent.objects.filter(action="read", child_id=child.pk, user_id=personas.dt.pk).count() == 1


def test_every_event_records_who_what_which_child_and_where(client, personas, child):
    sign_in(client, personas.dt)
    client.get(f"/casework/children/{child.pk}/", REMOTE_ADDR="203.0.113.9")
    event = CaseAuditEvent.objects.get(action="read")
    assert (event.user_id, event.child_id, event.ip, event.object_type) == (
        personas.dt.pk,
        child.pk,
        "203.0.113.9",
        "child",
    )


def test_the_audit_chain_check_catches_an_edited_row(personas, child):
    for action in ("read", "change", "download"):
        audit.record(None, action, child, user=personas.dt)
    assert verify_chain() is None
    call_command("verify_case_audit")
    second = CaseAuditEvent.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE casework_caseauditevent DISABLE TRIGGER USER")
        cursor.execute("UPDATE casework_caseauditevent SET action = 'list' WHERE id = %s", [second.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE casework_caseauditevent ENABLE TRIGGER USER")
    problem = verify_chain()
    assert problem.event_id == second.pk and "altered" in problem.message
    with pytest.raises(CommandError, match=f"Entry {second.pk}"):
        call_command("verify_case_audit")


def test_the_audit_chain_check_catches_a_missing_row(personas, child):
    for action in ("read", "change", "download"):
        audit.record(None, action, child, user=personas.dt)
    events = list(CaseAuditEvent.objects.order_by("id"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE casework_caseauditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM casework_caseauditevent WHERE id = %s", [events[1].pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE casework_caseauditevent ENABLE TRIGGER USER")
    assert verify_chain().event_id == events[2].pk


def test_audit_events_cannot_be_changed_through_the_orm(personas, child):
    event = audit.record(None, "read", child, user=personas.dt)
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_the_dpo_sees_who_viewed_a_child_without_the_childs_name(client, personas, child):
    sign_in(client, personas.dt)
    client.get(f"/casework/children/{child.pk}/")
    sign_in(client, personas.dpo)
    page = client.get(f"/casework/children/{child.pk}/access-log/").content.decode()
    assert "dt@symphony.example" in page and child.legal_first_name not in page


def test_a_transfer_link_works_once_is_logged_and_confirms_receipt(client, personas, child, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    transition = TransitionFactory(child=child, left_on=datetime.date(2026, 11, 20))
    transition.documents.add(CaseDocumentFactory(child=child))
    sign_in(client, personas.dt)
    client.post(f"/casework/transitions/{transition.pk}/")
    (link,) = emailed_links(mail.outbox)
    transition.refresh_from_db()
    assert transition.token_hash and link.split("=", 1)[1] not in transition.token_hash
    client.logout()
    path = open_transfer_link(client, link)
    assert path == f"/casework/receive/{transition.pk}/"
    assert "Download the records (once only)" in client.get(path).content.decode()
    first = client.post(path, {"action": "download"}, REMOTE_ADDR="198.51.100.7")
    assert first.status_code == 200 and first["Content-Type"] == "application/zip"
    assert client.post(path, {"action": "download"}).status_code == 410
    assert transition.downloads.get().ip == "198.51.100.7"
    client.post(path, {"action": "confirm", "name": "Rita Receiver"})
    transition.refresh_from_db()
    assert transition.receipt_confirmed_by == "Rita Receiver"
    assert CaseAuditEvent.objects.filter(action="receipt", object_id=str(transition.pk)).exists()


def test_an_expired_transfer_link_is_refused(client, personas, child):
    from django.utils import timezone

    transition = TransitionFactory(child=child)
    token = transition.issue_link(personas.dt)
    Transition.objects.filter(pk=transition.pk).update(link_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get(f"/casework/receive/{token}/").status_code == 404


def test_deleting_a_document_removes_the_stored_file(client, personas, child, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    document = CaseDocumentFactory(child=child)
    stored = tmp_path / document.file.name
    assert stored.exists()
    sign_in(client, personas.dt)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/admin/casework/casedocument/delete/{document.pk}/")
    assert not CaseDocument.objects.exists()
    assert not stored.exists()


def test_a_document_of_a_child_on_legal_hold_cannot_be_deleted(client, personas, child, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    document = CaseDocumentFactory(child=child)
    type(child).objects.filter(pk=child.pk).update(legal_hold=True)
    sign_in(client, personas.dt)
    client.post(f"/admin/casework/casedocument/delete/{document.pk}/")
    assert CaseDocument.objects.filter(pk=document.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is installed on PostgreSQL only")
def test_the_database_refuses_to_change_an_audit_event(personas, child):
    from django.db import InternalError, ProgrammingError, transaction

    event = audit.record(None, "read", child, user=personas.dt)
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        CaseAuditEvent.objects.filter(pk=event.pk).update(action="list")


def test_a_child_with_casework_cannot_be_deleted_by_accident(client, personas, child):
    from casework.models import Child

    from .factories import PEPFactory

    PEPFactory(child=child)
    sign_in(client, personas.dt)
    response = client.post(f"/admin/casework/child/delete/{child.pk}/")
    assert response.status_code == 302
    assert Child.objects.filter(pk=child.pk).exists()


def test_a_tampered_or_forged_transfer_link_is_refused(client, personas, child):
    from django.core import signing

    from casework.models.transitions import TOKEN_SALT

    transition = TransitionFactory(child=child)
    token = transition.issue_link(personas.dt)
    assert client.get(f"/casework/receive/{token}/").status_code == 200
    assert client.get(f"/casework/receive/{token[:-2]}xx/").status_code == 404
    forged = signing.dumps({"t": transition.pk, "n": "guess"}, salt=TOKEN_SALT, compress=True)
    assert client.get(f"/casework/receive/{forged}/").status_code == 404  # signed, but not the stored link
    transition.issue_link(personas.dt)
    assert client.get(f"/casework/receive/{token}/").status_code == 404  # a new link ends the old one
