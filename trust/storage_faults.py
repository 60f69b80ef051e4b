"""When the file store (S3, or the local disk) fails: a plain page and a 503, never a bare 500 or a long wait.

The S3 client answers within a few seconds whatever the server does (settings: AWS_S3_CLIENT_CONFIG, short
connect and read timeouts, one attempt). Views that touch storage catch `STORAGE_ERRORS` and answer
`storage_unavailable()`; `StorageFaultMiddleware` does the same for any view that did not.
"""

import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from s3transfer.exceptions import RetriesExceededError

logger = logging.getLogger(__name__)

# What a failing file store raises: local disks raise OSError, S3 raises botocore's errors (a timeout or a
# refused connection included), and boto3's transfer manager its own when a download gives up.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError, RetriesExceededError)
# What only a file store raises (OSError is left to the views that know it came from storage).
S3_ERRORS = (BotoCoreError, ClientError, RetriesExceededError)

STORAGE_UNAVAILABLE = (
    "The file store did not answer, so nothing was sent and your link still works. Try again in a few minutes."
)
STORAGE_UNAVAILABLE_SIGNED_IN = (
    "The file store did not answer, so nothing was sent. Try again in a few minutes, and tell the trust's IT "
    "support if it keeps happening."
)


def storage_unavailable(request, message=STORAGE_UNAVAILABLE_SIGNED_IN, status=503):
    """The page a person sees when the file store failed: what happened, what was (not) done, what to do."""
    response = render(request, "trust/storage_unavailable.html", {"message": message}, status=status)
    response["Retry-After"] = "60"
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


class StorageFaultMiddleware:
    """Any S3 error that escapes a view is a 503 with the plain page, not Django's 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, S3_ERRORS):
            logger.error("The file store failed on %s: %r", request.path, exception)
            return storage_unavailable(request)
        return None
