"""The text of a published revision: rendered once, cached by revision id, hashed, and compared."""

import difflib
import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from django.utils.safestring import mark_safe

from trust.shown_text import revision_shown_text
from trust.shown_text import text_sha256 as text_sha256  # the one hash of the text shown, for policy's callers

_BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "div", "br", "ul", "ol", "tr"}


def revision_body_html(revision_id: int) -> str:
    """The body of the page as it was in this revision, rendered to HTML: what a reader is shown
    (`AcknowledgeablePage.shown_text`). Revisions never change, so it is cached for good under the
    revision id (trust.shown_text)."""
    return revision_shown_text(revision_id)


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html: str) -> str:
    """Readable text, one paragraph, heading or list item a line."""
    parser = _TextExtractor()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _tokens(text: str) -> list[str]:
    return re.findall(r"\n|[^\s]+", text)


LABELS = {"ins": "inserted: ", "del": "deleted: "}


@dataclass
class Diff:
    paragraphs: list[tuple[str, bool]]  # (escaped HTML, whether it changed)
    inserted: int
    deleted: int

    @property
    def html(self) -> str:
        return mark_safe("\n".join(f"<p>{html}</p>" for html, _ in self.paragraphs))  # noqa: S308 - escaped

    @property
    def changed(self) -> list:
        return [mark_safe(html) for html, changed in self.paragraphs if changed]  # noqa: S308 - escaped


def word_diff(old_text: str, new_text: str) -> Diff:
    """Word-level differences, paragraph by paragraph, with <ins>/<del> and visually-hidden labels so
    the change does not rely on colour."""
    a, b = _tokens(old_text), _tokens(new_text)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    paragraphs: list[list[tuple[str, str]]] = [[]]
    counts = {"ins": 0, "del": 0}

    def emit(kind, tokens):
        for word in tokens:
            if word == "\n":
                paragraphs.append([])
                continue
            paragraphs[-1].append((kind, word))
            if kind in counts:
                counts[kind] += 1

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            emit("same", a[i1:i2])
        if op in ("delete", "replace"):
            emit("del", a[i1:i2])
        if op in ("insert", "replace"):
            emit("ins", b[j1:j2])

    out = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        pieces, kind, words = [], None, []
        for token_kind, word in [*paragraph, (None, "")]:
            if token_kind != kind:
                if words:
                    text = escape(" ".join(words))
                    if kind in LABELS:
                        label = f'<span class="visually-hidden">{LABELS[kind]}</span>'
                        pieces.append(f"<{kind}>{label}{text}</{kind}>")
                    else:
                        pieces.append(text)
                kind, words = token_kind, []
            words.append(word)
        changed = any(k != "same" for k, _ in paragraph)
        out.append((" ".join(pieces), changed))
    return Diff(out, counts["ins"], counts["del"])
