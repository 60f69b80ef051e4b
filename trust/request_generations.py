"""A generation read once a request, not once for each thing kept under it.

`trust.personal_pages.kept_for_content` asks the shared cache for the content generation on every call: nine
times on a dashboard built afresh, each a Redis round trip. Inside `one_request()` (entered by
trust.middleware.RequireMFAMiddleware around the rest of the request) the first answer is remembered for the
rest of that request, and read again only after a record was saved or deleted in it (which may have renewed
the generation: `trust.personal_pages.record_changed`). Outside a request (commands, tasks, tests calling
functions directly) nothing is remembered and every call asks the cache, as before.

What is remembered is a generation's token, the same for everyone: nothing of one person's, and nothing
outlives its request.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_save

_READ_IN_THIS_REQUEST: ContextVar[dict | None] = ContextVar("trust_generations_read_in_this_request", default=None)


@contextmanager
def one_request():
    """Generations read inside are remembered until the end of the block (or the next change of a record)."""
    token = _READ_IN_THIS_REQUEST.set({})
    try:
        yield
    finally:
        _READ_IN_THIS_REQUEST.reset(token)


def remembered(key: str) -> str | None:
    """The generation under `key` already read in this request, or None (not read, or not in a request)."""
    read = _READ_IN_THIS_REQUEST.get()
    return None if read is None else read.get(key)


def remember(key: str, generation: str) -> None:
    read = _READ_IN_THIS_REQUEST.get()
    if read is not None:
        read[key] = generation


def forget_all(**kwargs) -> None:
    """Any record saved or deleted, or any many-to-many change: a generation may have been renewed."""
    read = _READ_IN_THIS_REQUEST.get()
    if read:
        read.clear()


post_save.connect(forget_all, dispatch_uid="trust-request-generations-save")
post_delete.connect(forget_all, dispatch_uid="trust-request-generations-delete")
m2m_changed.connect(forget_all, dispatch_uid="trust-request-generations-m2m")
