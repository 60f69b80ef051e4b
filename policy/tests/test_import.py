from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from policy.enums import ReviewBasis
from policy.importer import parse_text
from policy.models import PolicyPage
from policy.tests.docx import build_docx

pytestmark = pytest.mark.django_db

SEED = settings.BASE_DIR.parent / "shared" / "seeds" / "children-in-care-policy.txt"
SEED_HEADINGS = ["Aim", "Delivery", "Training", "Inclusion", "Equality Statement"]


@pytest.fixture
def seed():
    if not SEED.is_file():
        pytest.skip(f"the seed policy is not here: {SEED}")
    return SEED


def blocks_of(page):
    return [(block.block_type, block.value) for block in page.body]


def test_the_seed_policy_imports_as_a_draft_with_its_headings_and_lists(seed):
    out = StringIO()
    call_command("import_policy", str(seed), stdout=out)
    page = PolicyPage.objects.get()
    assert not page.live and page.has_unpublished_changes is not None
    assert page.title == "Children In Care Policy"
    assert page.review_basis == ReviewBasis.REGULATIONS
    blocks = blocks_of(page)
    assert [value for kind, value in blocks if kind == "heading"] == SEED_HEADINGS
    lists = [value for kind, value in blocks if kind == "list"]
    assert len(lists) == 3
    first_items = [item.source for item in lists[0]["items"]]
    assert first_items[0].startswith("Staff are aware that being or becoming a Child in Care")
    assert not any(item.startswith("- ") for lst in lists for item in (i.source for i in lst["items"]))
    paragraphs = [value.source for kind, value in blocks if kind == "paragraph"]
    assert any("Duty on local authorities" in p for p in paragraphs)
    assert "Imported “Children In Care Policy” as a draft" in out.getvalue()


def test_the_seed_policy_cover_lines_are_not_part_of_the_body(seed):
    imported = parse_text(seed.read_text())
    text = " ".join(str(b["value"]) for b in imported.blocks)
    assert "Symphony Learning" not in text.split("Aim")[0]
    assert "Next Review Due" not in text


def test_a_word_document_imports_with_headings_paragraphs_and_bullets(tmp_path):
    path = build_docx(
        tmp_path / "attendance.docx",
        [
            ("title", "Attendance Policy"),
            ("heading", "Aim"),
            ("text", "Every pupil attends & arrives on time."),
            ("bullet", "Registers close at 9:00."),
            ("bullet", "Absence is followed up the same day."),
            ("heading", "Training"),
            ("bold", "All staff are briefed."),
        ],
    )
    call_command("import_policy", str(path), stdout=StringIO())
    page = PolicyPage.objects.get()
    assert page.title == "Attendance Policy"
    blocks = blocks_of(page)
    assert [value for kind, value in blocks if kind == "heading"] == ["Aim", "Training"]
    [bullets] = [value for kind, value in blocks if kind == "list"]
    assert [i.source for i in bullets["items"]] == ["Registers close at 9:00.", "Absence is followed up the same day."]
    paragraphs = [value.source for kind, value in blocks if kind == "paragraph"]
    assert paragraphs == ["<p>Every pupil attends &amp; arrives on time.</p>", "<p><b>All staff are briefed.</b></p>"]


def test_importing_a_file_of_another_kind_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "policy.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match="use a Word"):
        call_command("import_policy", str(path))


def test_importing_twice_to_the_same_address_is_refused(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("Short Policy\n\nAim\n\nTo be short.\n")
    call_command("import_policy", str(path), "--slug", "short", stdout=StringIO())
    with pytest.raises(CommandError, match="already uses the address"):
        call_command("import_policy", str(path), "--slug", "short")


def test_a_styled_word_policy_keeps_its_first_heading_and_puts_its_cover_dates_in_the_fields(tmp_path):
    from datetime import date

    path = build_docx(
        tmp_path / "cic.docx",
        [
            ("text", "Children in Care Policy"),
            ("text", "Adopted by the Trust Board on 1 September 2025"),
            ("text", "Next Review Due: 1 September 2026"),
            ("heading", "Aim"),
            ("text", "Every child in care achieves."),
            ("heading", "Delivery"),
            ("bullet", "A PEP for every child."),
        ],
    )
    call_command("import_policy", str(path), stdout=StringIO())
    page = PolicyPage.objects.get()
    assert page.title == "Children in Care Policy"
    assert (page.adopted_on, page.next_review) == (date(2025, 9, 1), date(2026, 9, 1))
    blocks = blocks_of(page)
    assert [value for kind, value in blocks if kind == "heading"] == ["Aim", "Delivery"]
    body = " ".join(str(value) for _, value in blocks)
    assert "Adopted by" not in body and "Next Review Due" not in body


def test_a_word_policy_with_bold_lines_for_headings_and_typed_bullets_gets_headings_and_lists(tmp_path):
    path = build_docx(
        tmp_path / "bold.docx",
        [
            ("text", "Attendance Policy"),
            ("bold", "Aim"),
            ("text", "Every pupil attends."),
            ("text", "- Registers close at 9:00."),
            ("text", "- Absence is followed up the same day."),
            ("bold", "Procedure"),
            ("text", "1. Call home."),
            ("text", "2. Record the reason."),
        ],
    )
    call_command("import_policy", str(path), stdout=StringIO())
    page = PolicyPage.objects.get()
    assert page.title == "Attendance Policy"
    blocks = blocks_of(page)
    assert [value for kind, value in blocks if kind == "heading"] == ["Aim", "Procedure"]
    bullets, steps = [value for kind, value in blocks if kind == "list"]
    assert [i.source for i in bullets["items"]] == ["Registers close at 9:00.", "Absence is followed up the same day."]
    assert not bullets["numbered"] and steps["numbered"]
    assert [i.source for i in steps["items"]] == ["Call home.", "Record the reason."]
