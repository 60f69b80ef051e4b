"""Faults that lose nothing: a file store that refuses or hangs is a plain 503 within seconds, a transfer link
survives it, and the transfer token is in a URL only once."""

import io
import itertools
import socket
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from storages.backends.s3 import S3Storage

from casework.models import CaseAuditEvent, CaseDocument
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
DID_NOT_ANSWER = "The file store did not answer"
LINK_STILL_WORKS = (
    "The file store did not answer, so nothing was sent and your link still works. Try again in a few minutes."
)
BUCKET = "casework-faults"


@pytest.fixture
def refusing_endpoint():
    """A port on 127.0.0.1 with nothing listening: every connection is refused (moto's server, stopped)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def hanging_endpoint():
    """A server that accepts every connection and never reads or answers a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except (TimeoutError, OSError):
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def s3_at(endpoint):
    """The storage case documents would use, pointed at `endpoint` (the project's client settings apply)."""
    current = CaseDocument._meta.get_field("file").storage
    return S3Storage(
        bucket_name=getattr(current, "bucket_name", BUCKET),
        endpoint_url=endpoint,
        region_name="eu-west-2",
        access_key="test",
        secret_key="test",
        default_acl=None,
        file_overwrite=False,
    )


def documents_at(monkeypatch, endpoint):
    monkeypatch.setattr(CaseDocument._meta.get_field("file"), "storage", s3_at(endpoint))


@pytest.fixture
def child(personas):
    add_terms(personas.brook, 2026)
    return ChildFactory(school=personas.brook)


_buckets = itertools.count(1)


@pytest.fixture
def on_s3(s3_server, monkeypatch):
    return case_documents_on_s3(s3_server, monkeypatch, f"{BUCKET}-{next(_buckets)}")


def _send_link(client, personas, child):
    transition = TransitionFactory(child=child)
    transition.documents.add(CaseDocumentFactory(child=child, title="Care plan"))
    sign_in(client, personas.dt)
    client.post(f"/casework/transitions/{transition.pk}/")
    client.logout()
    (link,) = emailed_links(mail.outbox)
    return transition, link


def test_a_file_store_that_refuses_leaves_the_transfer_link_usable(
    client, personas, child, on_s3, monkeypatch, refusing_endpoint
):
    transition, link = _send_link(client, personas, child)
    page = open_transfer_link(client, link)
    working = CaseDocument._meta.get_field("file").storage

    documents_at(monkeypatch, refusing_endpoint)
    failed = client.post(page, {"action": "download"})
    assert failed.status_code == 503
    assert LINK_STILL_WORKS in failed.content.decode()
    transition.refresh_from_db()
    assert transition.link_used_at is None and not transition.downloads.exists()
    assert not CaseAuditEvent.objects.filter(action="download").exists()
    assert "Download the records (once only)" in client.get(page).content.decode()

    monkeypatch.setattr(CaseDocument._meta.get_field("file"), "storage", working)  # the file store is back
    retry = client.post(page, {"action": "download"}, REMOTE_ADDR="198.51.100.7")
    assert retry.status_code == 200
    with zipfile.ZipFile(io.BytesIO(retry.getvalue())) as archive:
        assert archive.namelist() == ["01-Care plan.pdf"]
    transition.refresh_from_db()
    assert transition.link_used_at is not None and transition.downloads.get().ip == "198.51.100.7"
    assert CaseAuditEvent.objects.filter(action="download", object_id=str(transition.pk)).count() == 1
    assert client.post(page, {"action": "download"}).status_code == 410


def test_a_file_store_that_hangs_is_a_503_within_seconds_and_the_link_survives(
    client, personas, child, on_s3, monkeypatch, hanging_endpoint
):
    transition, link = _send_link(client, personas, child)
    page = open_transfer_link(client, link)
    documents_at(monkeypatch, hanging_endpoint)
    started = time.monotonic()
    failed = client.post(page, {"action": "download"})
    assert time.monotonic() - started < 10
    assert failed.status_code == 503 and LINK_STILL_WORKS in failed.content.decode()
    transition.refresh_from_db()
    assert transition.link_used_at is None and not transition.downloads.exists()


def test_a_document_download_from_a_refusing_file_store_is_a_plain_503(
    client, personas, child, on_s3, monkeypatch, refusing_endpoint
):
    document = CaseDocumentFactory(child=child)
    documents_at(monkeypatch, refusing_endpoint)
    sign_in(client, personas.dt)
    response = client.get(f"/casework/documents/{document.pk}/download/")
    assert response.status_code == 503
    assert DID_NOT_ANSWER in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not CaseAuditEvent.objects.filter(action="download").exists()


def test_a_document_download_from_a_hanging_file_store_answers_within_seconds(
    client, personas, child, on_s3, monkeypatch, hanging_endpoint
):
    document = CaseDocumentFactory(child=child)
    documents_at(monkeypatch, hanging_endpoint)
    sign_in(client, personas.dt)
    started = time.monotonic()
    response = client.get(f"/casework/documents/{document.pk}/download/")
    assert time.monotonic() - started < 10
    assert response.status_code == 503 and DID_NOT_ANSWER in response.content.decode()


def test_a_document_download_from_a_working_file_store_is_the_file_and_is_logged(
    client, personas, child, on_s3
):
    document = CaseDocumentFactory(child=child, file__data=PDF)
    sign_in(client, personas.dt)
    response = client.get(f"/casework/documents/{document.pk}/download/")
    assert response.status_code == 200 and response.getvalue() == PDF
    assert CaseAuditEvent.objects.filter(action="download", object_id=str(document.pk)).count() == 1


def test_an_upload_to_a_hanging_file_store_answers_within_seconds_and_saves_nothing(
    client, personas, child, monkeypatch, hanging_endpoint
):
    documents_at(monkeypatch, hanging_endpoint)
    sign_in(client, personas.dt)
    started = time.monotonic()
    response = client.post(
        "/admin/casework/casedocument/create/",
        {"child": child.pk, "title": "Care plan", "category": "general", "file": SimpleUploadedFile("p.pdf", PDF)},
    )
    assert time.monotonic() - started < 10
    assert response.status_code == 503 and "the file store did not answer" in response.content.decode()
    assert not CaseDocument.objects.exists()
    assert not CaseAuditEvent.objects.filter(action="create").exists()


def _default_storage_at(endpoint):
    return override_settings(
        STORAGES={
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": endpoint, "region_name": "eu-west-2"},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )


@pytest.mark.django_db
def test_health_ready_is_a_503_within_seconds_when_the_file_store_hangs(client, hanging_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    with _default_storage_at(hanging_endpoint):
        started = time.monotonic()
        response = client.get("/health/ready")
        assert time.monotonic() - started < 10
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "ok", "storage": "error"}}


@pytest.mark.django_db
def test_health_ready_is_a_503_when_the_file_store_refuses(client, refusing_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    with _default_storage_at(refusing_endpoint):
        response = client.get("/health/ready")
    assert response.status_code == 503 and response.json()["checks"]["storage"] == "error"


def test_the_s3_client_gives_up_within_seconds_by_default(settings):
    config = settings.AWS_S3_CLIENT_CONFIG
    assert config.connect_timeout <= 5 and config.read_timeout <= 5
    assert config.retries["total_max_attempts"] == 1
    assert settings.AWS_S3_TRANSFER_CONFIG.num_download_attempts == 1


# --- The transfer token travels in a URL once -----------------------------------------------------------------


def test_the_emailed_link_is_exchanged_for_a_short_lived_strict_cookie_and_a_token_free_page(
    client, personas, child, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    transition, link = _send_link(client, personas, child)
    token = link.split("link=", 1)[1]
    assert link.startswith("/casework/receive/?link=")  # in the query string, which the access log leaves out

    opened = client.get(link)
    assert opened.status_code == 200 and opened["Referrer-Policy"] == "no-referrer"
    cookie = opened.cookies["transfer_link"]
    page = f"/casework/receive/{transition.pk}/"
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == page
    assert 0 < int(cookie["max-age"]) <= 3600
    assert token not in cookie.value
    shown = client.get(page).content.decode()
    assert "Download the records (once only)" in shown and token not in shown

    client.cookies.clear()
    closed = client.get(page)
    assert closed.status_code == 404 and "Open the link from your email" in closed.content.decode()
    assert client.post(page, {"action": "download"}).status_code == 404
    assert not transition.downloads.exists()


def test_a_cookie_for_one_transfer_opens_no_other(client, personas, child, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    first, link = _send_link(client, personas, child)
    open_transfer_link(client, link)
    other = TransitionFactory(child=child)
    other.issue_link(personas.dt)
    assert client.get(f"/casework/receive/{other.pk}/").status_code == 404


def test_a_new_link_ends_the_cookie_of_the_old_one(client, personas, child, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    transition, link = _send_link(client, personas, child)
    page = open_transfer_link(client, link)
    transition.issue_link(personas.dt)
    assert client.get(page).status_code == 404


def test_the_readme_gives_an_access_log_format_without_query_strings():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    line = next(line for line in readme.splitlines() if "--access-logformat" in line)
    assert "%(U)s" in line and "%(q)s" not in line and "%(r)s" not in line and "%(f)s" not in line
