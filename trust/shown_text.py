"""The text a person is shown of a versioned page, and the one SHA-256 a receipt keeps of it.

Each versioned page class says what a person is shown, in its `shown_text()`: policies and guidance, the body
rendered to HTML; training modules, the title, summary, body and questions, normalised. A read receipt and a
training completion store `text_sha256` of it when written; checking a receipt later recomputes it from the
receipt's revision (`revision_text_sha256`). What each class shows must not change for revisions already
acknowledged, or their receipts stop matching.
"""

import hashlib

from django.core.cache import cache
from wagtail.models import Revision

CACHE_VERSION = 1


def text_sha256(text: str) -> str:
    """The SHA-256 (hex) of the text shown: the one hash every receipt keeps."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shown_text_sha256(page) -> str:
    """The hash of what `page` (a revision's copy of a versioned page) shows."""
    return text_sha256(page.shown_text())


def _cache_key(revision_id: int) -> str:
    return f"trust:shown-text:{CACHE_VERSION}:{revision_id}"


def revision_shown_text(revision_id: int) -> str:
    """What this revision of a versioned page shows. A class whose text depends on the revision alone says so
    (`shown_text_is_fixed = True`) and it is cached for good under the revision id; others are read each time."""
    key = _cache_key(revision_id)
    text = cache.get(key)
    if text is None:
        page = Revision.objects.get(pk=revision_id).as_object()
        text = page.shown_text()
        if getattr(page, "shown_text_is_fixed", False):
            cache.set(key, text, timeout=None)
    return text


def revision_text_sha256(revision_id: int) -> str:
    """The hash a receipt of this revision must carry."""
    return text_sha256(revision_shown_text(revision_id))
