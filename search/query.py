"""Turning whatever a person typed into a safe, plain list of words, and highlighting them."""

import functools
import re
import unicodedata

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from wagtail.blocks import StreamValue

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
EXCERPT_CHARS = 240
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_query(raw: str | None) -> str:
    """What the person typed, capped and stripped of control characters (for showing back to them)."""
    text = (raw or "")[:MAX_QUERY_CHARS]
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())


def terms_of(query: str) -> list[str]:
    """The words to search for: letters and digits only (no quotes, operators or punctuation), lower case."""
    seen: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFKC", query).casefold()):
        word = word.strip("_")
        if word and word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def page_text(page) -> str:
    """The page's searchable text, from its own search fields, as plain text."""
    from wagtail.search import index

    parts = []
    for field in page.search_fields:
        if not isinstance(field, index.SearchField) or field.field_name == "title":
            continue
        value = getattr(page, field.field_name, None)
        if callable(value):
            value = value()
        if isinstance(value, StreamValue):
            parts.extend(str(v) for v in value.stream_block.get_searchable_content(value))
        elif value:
            parts.append(strip_tags(str(value)))
    if not parts and getattr(page, "search_description", ""):
        parts.append(page.search_description)
    return " ".join(" ".join(parts).split())


@functools.lru_cache(maxsize=256)
def _compiled(terms: tuple[str, ...]):
    """The terms as one pattern, longest first, captured (so that splitting on it keeps the matches)."""
    return re.compile("(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + ")", re.IGNORECASE)


def _pattern(terms):
    return _compiled(tuple(terms))


# What Django's escape (Python's html.escape) writes for each character, in one call a piece: a short word ("in")
# can match dozens of times in an excerpt, and each piece between the matches is escaped.
_ESCAPED = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escaped(text: str) -> str:
    """Django's escape, without marking the result safe."""
    return text.translate(_ESCAPED)


def highlight(text: str, terms: list[str]):
    """Escaped text with each term wrapped in <mark>."""
    if not terms:
        return mark_safe(str(text).translate(_ESCAPED))  # noqa: S308 - escaped
    pieces = _pattern(terms).split(text)  # text, a match, text, a match, …, text
    return mark_safe(  # noqa: S308 - every piece is escaped
        "".join(
            [
                f"<mark>{piece.translate(_ESCAPED)}</mark>" if index % 2 else piece.translate(_ESCAPED)
                for index, piece in enumerate(pieces)
            ]
        )
    )


def excerpt(text: str, terms: list[str], size: int = EXCERPT_CHARS):
    """A short piece of `text` around the first match, highlighted."""
    match = _pattern(terms).search(text) if terms else None
    start = max(0, (match.start() if match else 0) - size // 3)
    piece = text[start : start + size]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + size < len(text) else ""
    return mark_safe(prefix + highlight(piece, terms) + suffix)  # noqa: S308 - highlight escapes
