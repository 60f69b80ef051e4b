"""A case document over the size limit is refused before its body is read, with the form's own message."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from casework.models import CaseAuditEvent, CaseDocument
from conftest import sign_in

from .factories import CaseDocumentFactory, ChildFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TOO_LARGE = "The file is larger than 20.0\xa0MB: upload a smaller copy."


class CountingInput:
    """A request body that records how much of it was read."""

    def __init__(self, data: bytes):
        self.data, self.read_bytes = data, 0

    def read(self, size=-1):
        size = len(self.data) - self.read_bytes if size is None or size < 0 else size
        chunk = self.data[self.read_bytes : self.read_bytes + size]
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size=-1):
        return self.read(size)


@pytest.fixture
def child(personas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return ChildFactory(school=personas.brook)


def _body(child, data=PDF):
    return encode_multipart(
        BOUNDARY,
        {"child": child.pk, "title": "Care plan", "category": "general", "file": SimpleUploadedFile("plan.pdf", data)},
    )


@pytest.mark.parametrize("path", ["create/", "edit/{pk}/"])
def test_a_declared_200_mb_upload_is_refused_before_its_body_is_read(client, personas, child, path):
    existing = CaseDocumentFactory(child=child)
    sign_in(client, personas.dt)
    body = CountingInput(_body(child))
    response = client.generic(
        "POST",
        "/admin/casework/casedocument/" + path.format(pk=existing.pk),
        CONTENT_TYPE=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()
    assert body.read_bytes == 0
    assert CaseDocument.objects.count() == 1 and not CaseAuditEvent.objects.filter(action="create").exists()


def test_a_body_that_sends_more_than_the_limit_is_cut_off_while_it_is_read(client, personas, child, settings):
    settings.CASEWORK_MAX_UPLOAD_BYTES = 100 * 1024
    sign_in(client, personas.dt)
    big = PDF + b"\0" * (600 * 1024)  # within the declared allowance for the form, over the file limit
    body = CountingInput(_body(child, big))
    response = client.generic(
        "POST",
        "/admin/casework/casedocument/create/",
        CONTENT_TYPE=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(len(body.data)),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert "The file is larger than 100.0\xa0KB: upload a smaller copy." in response.content.decode()
    assert body.read_bytes < len(body.data) / 2
    assert not CaseDocument.objects.exists()


def test_a_file_within_the_limit_is_still_stored(client, personas, child):
    sign_in(client, personas.dt)
    response = client.post(
        "/admin/casework/casedocument/create/",
        {"child": child.pk, "title": "Care plan", "category": "general", "file": SimpleUploadedFile("p.pdf", PDF)},
    )
    assert response.status_code == 302
    assert CaseDocument.objects.get().size == len(PDF)
