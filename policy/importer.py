"""Turn a Word (.docx, via mammoth) or plain-text policy into StreamField blocks for a draft page.

Plain text: a short line standing alone, without closing punctuation, is a heading; lines starting
"- " (or "• ", "* ") are list items; other lines are paragraphs. Lines before the first heading are
the document's cover: the title (a line containing "Policy"), the adoption date and the review.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from .enums import ReviewBasis

BULLET = re.compile(r"^\s*(?:[-•*▪·]|\u2022)\s+")
MAX_HEADING_WORDS = 6


class PolicyImportError(ValueError):
    pass


@dataclass
class ImportedPolicy:
    title: str = ""
    adopted_on: date | None = None
    review_basis: str = ReviewBasis.DATE
    next_review: date | None = None
    blocks: list = field(default_factory=list)

    def headings(self):
        return [b["value"] for b in self.blocks if b["type"] == "heading"]


def _paragraph(text_html):
    return {"type": "paragraph", "value": f"<p>{text_html}</p>"}


def _list(items_html, numbered=False):
    return {"type": "list", "value": {"numbered": numbered, "items": list(items_html)}}


def _parse_date(text):
    for fmt in ("%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _is_heading(line, previous_blank, next_blank):
    words = line.split()
    return (
        previous_blank
        and next_blank
        and 0 < len(words) <= MAX_HEADING_WORDS
        and not line.rstrip().endswith((".", ",", ";", ":", "?", "!"))
        and line[:1].isupper()
    )


def _read_cover(policy, line):
    label, _, value = (part.strip() for part in line.partition("\t"))
    lowered = label.lower()
    if lowered.startswith("adopted"):
        policy.adopted_on = _parse_date(value) if value else None
    elif lowered.startswith("next review"):
        if "regulation" in value.lower():
            policy.review_basis = ReviewBasis.REGULATIONS
        else:
            policy.next_review = _parse_date(value) if value else None
    elif "policy" in lowered and not policy.title:
        policy.title = " ".join(label.split())


def parse_text(text: str) -> ImportedPolicy:
    policy = ImportedPolicy()
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    in_body = False
    items: list[str] = []
    for i, raw in enumerate(lines):
        line = raw.strip()
        previous_blank = i == 0 or not lines[i - 1].strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if BULLET.match(line):
            items.append(escape(BULLET.sub("", line)))
            continue
        if items and line:
            policy.blocks.append(_list(items))
            items = []
        if not line:
            continue
        if _is_heading(line, previous_blank, next_blank) and "\t" not in raw and in_body_or_heading(in_body, line):
            in_body = True
            policy.blocks.append({"type": "heading", "value": line})
        elif not in_body:
            _read_cover(policy, raw.strip(" "))
        else:
            policy.blocks.append(_paragraph(escape(" ".join(line.split()))))
    if items:
        policy.blocks.append(_list(items))
    return policy


def in_body_or_heading(in_body, line):
    """Before the body starts, a cover line naming the policy is not a heading."""
    return in_body or "policy" not in line.lower() and line.upper() != line


class _HtmlToBlocks(HTMLParser):
    """mammoth's clean HTML (h1–h6, p, ul/ol/li, strong/em, a) to blocks."""

    INLINE = {"strong": "b", "b": "b", "em": "i", "i": "i"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list = []
        self.buffer: list[str] | None = None
        self.kind = None
        self.items: list[str] = []
        self.list_stack: list[str] = []
        self.title = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p") or (tag == "li"):
            self.buffer, self.kind = [], tag
        elif tag in ("ul", "ol"):
            self.list_stack.append(tag)
        elif tag in self.INLINE and self.buffer is not None and self.kind not in ("h1", "h2", "h3", "h4"):
            self.buffer.append(f"<{self.INLINE[tag]}>")
        elif tag == "a" and self.buffer is not None:
            href = dict(attrs).get("href") or ""
            if href.startswith(("http://", "https://", "mailto:")):
                self.buffer.append(f'<a href="{escape(href)}">')
            else:
                self.buffer.append("<a>")
        elif tag == "br" and self.buffer is not None:
            self.buffer.append(" ")

    def handle_endtag(self, tag):
        if tag in self.INLINE and self.buffer is not None and self.kind not in ("h1", "h2", "h3", "h4"):
            self.buffer.append(f"</{self.INLINE[tag]}>")
        elif tag == "a" and self.buffer is not None:
            self.buffer.append("</a>")
        elif tag == self.kind and self.buffer is not None:
            content = "".join(self.buffer).replace("<a>", "").strip()
            text = re.sub(r"<[^>]+>", "", content).strip()
            if text:
                if tag == "h1" and not self.title and not self.blocks and "policy" in text.lower():
                    self.title = text
                elif tag in ("h1", "h2"):
                    self.blocks.append({"type": "heading", "value": text})
                elif tag in ("h3", "h4", "h5", "h6"):
                    self.blocks.append({"type": "subheading", "value": text})
                elif tag == "li":
                    self.items.append(content)
                else:
                    self.blocks.append(_paragraph(content))
            self.buffer, self.kind = None, None
        elif tag in ("ul", "ol") and self.list_stack:
            kind = self.list_stack.pop()
            if not self.list_stack and self.items:
                self.blocks.append(_list(self.items, numbered=kind == "ol"))
                self.items = []

    def handle_data(self, data):
        if self.buffer is not None:
            self.buffer.append(escape(data))


NUMBERED = re.compile(r"^\s*\(?\d{1,2}[.)]\s+")
BOLD_ONLY = re.compile(r"^<b>(?P<text>[^<]+)</b>$")
DATE_IN_LINE = re.compile(r"(\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})")


def _date_in(text):
    match = DATE_IN_LINE.search(text)
    return _parse_date(re.sub(r"(?<=\d)(st|nd|rd|th)", "", match.group(1))) if match else None


def _cover_line(policy, text) -> bool:
    """A cover-page line ("Adopted by the board on 1 September 2025", "Next Review Due: …") fills the page's
    fields; True when the line was one."""
    lowered = text.lower()
    if lowered.startswith("adopted"):
        policy.adopted_on = _date_in(text)
        return True
    if lowered.startswith(("next review", "review due", "review date")):
        if "regulation" in lowered:
            policy.review_basis = ReviewBasis.REGULATIONS
        policy.next_review = _date_in(text)
        return True
    return False


def _tidy(policy: ImportedPolicy) -> ImportedPolicy:
    """Word documents that show structure by hand: a bold line on its own is a heading; paragraphs starting
    "- " or "• " are a list, "1." or "1)" a numbered list; cover lines before the first heading are fields."""
    blocks, items, numbered = [], [], False

    def flush():
        nonlocal items
        if items:
            blocks.append(_list(items, numbered=numbered))
            items = []

    for block in policy.blocks:
        if block["type"] != "paragraph":
            flush()
            blocks.append(block)
            continue
        content = block["value"][3:-4]  # inside <p>…</p>
        plain = re.sub(r"<[^>]+>", "", content).strip()
        if not any(b["type"] in ("heading", "subheading") for b in blocks) and _cover_line(policy, plain):
            continue
        if not policy.title and not blocks and "policy" in plain.lower() and len(plain.split()) <= 12:
            policy.title = plain
            continue
        bold = BOLD_ONLY.match(content.strip())
        if bold and _is_heading(bold.group("text").strip(), True, True):
            flush()
            blocks.append({"type": "heading", "value": bold.group("text").strip()})
            continue
        for pattern, is_numbered in ((BULLET, False), (NUMBERED, True)):
            if pattern.match(plain):
                if items and numbered != is_numbered:
                    flush()
                numbered = is_numbered
                items.append(pattern.sub("", content.strip(), count=1))
                break
        else:
            flush()
            blocks.append(block)
    flush()
    policy.blocks = blocks
    return policy


def parse_html(html: str) -> ImportedPolicy:
    parser = _HtmlToBlocks()
    parser.feed(html)
    return _tidy(ImportedPolicy(title=parser.title, blocks=parser.blocks))


def parse_docx(path: Path) -> ImportedPolicy:
    with open(path, "rb") as handle:
        return _parse_docx_bytes(path.name, handle.read())


def parse_file(path: Path) -> ImportedPolicy:
    if path.suffix.lower() not in (".docx", ".txt", ".text", ".md"):
        raise PolicyImportError(f"Cannot import {path.name}: use a Word (.docx) or plain-text (.txt) file.")
    return parse_upload(path.name, path.read_bytes())


MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a Word file is a zip: refuse one that unpacks to more than this


def parse_upload(name: str, data: bytes) -> ImportedPolicy:
    """A file as uploaded (the admin's import page) or read from disk: every way it can be wrong is a
    `PolicyImportError` with a message a person can act on."""
    name = name or ""
    if "\x00" in name or len(name) > 255:
        raise PolicyImportError("The file's name cannot be used. Rename the file and upload it again.")
    suffix = Path(name).suffix.lower()
    if suffix not in (".docx", ".txt", ".text", ".md"):
        raise PolicyImportError(
            f"Cannot import {name}: use a Word (.docx) or plain-text (.txt) file. "
            "An older Word (.doc) file or a PDF can be saved as .docx from Word."
        )
    if not data:
        raise PolicyImportError(f"{name} is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise PolicyImportError(f"{name} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    if suffix == ".docx":
        policy = _parse_docx_bytes(name, data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PolicyImportError(f"{name} is not plain UTF-8 text. Save it as .txt (UTF-8) or as .docx.") from exc
        if "\x00" in text:
            raise PolicyImportError(f"{name} is not plain text (it holds a NUL character). Save it as .txt or .docx.")
        policy = parse_text(text)
    if not policy.blocks:
        raise PolicyImportError(f"{name} has no text to import.")
    return policy


def _parse_docx_bytes(name: str, data: bytes) -> ImportedPolicy:
    import zipfile

    import mammoth

    not_word = (
        f"{name} is not a Word document that can be read (it may be damaged). Open it in Word and save it as .docx."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise PolicyImportError(not_word)
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise PolicyImportError(f"{name} is too large to import.")
        result = mammoth.convert_to_html(io.BytesIO(data))
    except PolicyImportError:
        raise
    except Exception as exc:  # mammoth and zipfile raise many kinds (BadZipFile, KeyError, XML errors)
        raise PolicyImportError(not_word) from exc
    return parse_html(result.value.replace("\x00", ""))
