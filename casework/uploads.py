"""A case document that is too large is refused before its body is read, with the form's own message.

`UploadLimitMiddleware` looks at the casework document upload screens only. A declared Content-Length beyond
the limit (plus room for the form's other fields) is a 413 at once, the body unread. Otherwise the body is
parsed here, before any view or the CSRF check reads it, through `CappedUploadHandler`, which stops reading
the moment a file passes the limit (a body that says less than it sends, or one sent in chunks).
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control

from .documents import max_upload_bytes, too_large_message

UPLOAD_PATHS = ("/admin/casework/casedocument/create/", "/admin/casework/casedocument/edit/")
FORM_ALLOWANCE = 1024 * 1024  # the title, the choices and the CSRF token around the file


class CappedUploadHandler(FileUploadHandler):
    """Stops the upload, without reading on, as soon as one file passes `limit` bytes."""

    def __init__(self, request, limit):
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler keeps the file


def too_large(request):
    response = render(
        request, "casework/upload_too_large.html", {"message": too_large_message(), "back": request.path}, status=413
    )
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info.startswith(UPLOAD_PATHS):
            limit = max_upload_bytes()
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > limit + FORM_ALLOWANCE:
                return too_large(request)
            if request.content_type == "multipart/form-data":
                handler = CappedUploadHandler(request, limit)
                request.upload_handlers.insert(0, handler)
                request.POST  # noqa: B018 - parsed here, through the capped handler, before any view reads it
                if handler.too_large:
                    return too_large(request)
        return self.get_response(request)
