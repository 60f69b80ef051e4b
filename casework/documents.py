"""Case documents: checked by content, stored privately under random names, served only through a view."""

import tempfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
}


def max_upload_bytes() -> int:
    return getattr(settings, "CASEWORK_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)


def too_large_message() -> str:
    return f"The file is larger than {filesizeformat(max_upload_bytes())}: upload a smaller copy."


def check_upload(upload) -> tuple[str, str]:
    """The (content type, extension) the file's content shows it to be; refuses anything else."""
    if upload.size > max_upload_bytes():
        raise ValidationError(too_large_message())
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError("Upload a PDF, a Word or Excel file, or an image (JPEG, PNG, GIF, WebP or HEIC).")
    return kind.mime, ALLOWED_TYPES[kind.mime]


def read_from_storage(documents, write):
    """Each document's whole content, read from storage before anything is sent or recorded: `write(n,
    document, source)` copies it. A failing file store raises one of STORAGE_ERRORS here, not mid-response."""
    for n, document in enumerate(documents, start=1):
        with document.file.storage.open(document.file.name, "rb") as source:
            write(n, document, source)


def spooled():
    return tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # FileResponse closes it
