"""Highlighting escapes with Python's html.escape directly (search/query.py): the same HTML as Django's escape, which
it used before, piece by piece; checked against that way of writing it over odd text."""

import re

import pytest
from django.utils.html import escape
from django.utils.safestring import SafeData

from search.query import excerpt, highlight


def django_escaped_highlight(text, terms):
    """search.query.highlight as it was, with Django's escape."""
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


TEXTS = [
    "Children in Care: <script>alert('x')</script> & \"quotes\" within training",
    "Ünïcode café — in CARE, in care, in-care; a < b > c & d 'e'",
    "",
    "no match here",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("terms", [[], ["in"], ["children", "in", "care"], ["café", "<script>"]])
def test_highlighting_writes_what_djangos_escape_wrote(text, terms):
    written = highlight(text, terms)
    assert isinstance(written, SafeData)
    assert written == django_escaped_highlight(text, terms)


def test_an_excerpt_is_highlighted_and_escaped():
    text = "Intro. " * 60 + "The <b>care</b> plan & review."
    written = excerpt(text, ["care"])
    assert written.startswith("… ")
    assert "&lt;b&gt;<mark>care</mark>&lt;/b&gt; plan &amp; review." in written
