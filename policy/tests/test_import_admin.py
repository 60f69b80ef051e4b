"""Policy import in the admin: upload, see the draft it will make, create it as a draft and open its editor."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import sign_in
from policy.enums import ReviewBasis
from policy.models import PolicyIndexPage, PolicyPage
from policy.tests.docx import build_docx

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/policies/import/"
CREATE = "/admin/policies/import/create/"

STYLED = [
    ("text", "Children in Care Policy"),
    ("text", "Adopted by the Trust Board on 1 September 2025"),
    ("text", "Next Review Due: 1 September 2026"),
    ("heading", "Aim"),
    ("text", "Every child in care achieves."),
    ("heading", "Delivery"),
    ("bullet", "A PEP for every child."),
    ("bullet", "A designated teacher in every school."),
]
BOLD = [
    ("text", "Attendance Policy"),
    ("bold", "Aim"),
    ("text", "Every pupil attends."),
    ("text", "- Registers close at 9:00."),
    ("text", "- Absence is followed up the same day."),
    ("bold", "Procedure"),
    ("text", "1. Call home."),
    ("text", "2. Record the reason."),
]


def docx_upload(tmp_path, paragraphs, name="policy.docx"):
    path = build_docx(tmp_path / "built.docx", paragraphs)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="application/octet-stream")


def blocks_of(page):
    return [(block.block_type, block.value) for block in page.body]


@pytest.fixture
def head(client, personas):
    sign_in(client, personas.head)
    return personas.head


def preview(client, upload):
    return client.post(UPLOAD, {"file": upload})


def create_from(client, response):
    import re

    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', response.content.decode()).group(1)
    return client.post(CREATE, {"digest": digest})


def test_the_upload_page_and_menu_item_are_there_for_the_executive_head(client, head):
    response = client.get(UPLOAD)
    assert response.status_code == 200 and 'type="file"' in response.content.decode()
    assert UPLOAD in client.get("/admin/").content.decode()


def test_the_preview_shows_the_title_headings_lists_and_cover_dates_and_creates_nothing(client, head, tmp_path):
    response = preview(client, docx_upload(tmp_path, STYLED, "cic.docx"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Children in Care Policy" in html and "Nothing has been created yet" in html
    assert "1 September 2025" in html and "Next review 1 September 2026" in html
    assert "2: Aim, Delivery" in html
    assert "<li>A PEP for every child.</li>" in html.replace("\n", "")
    assert "Adopted by the Trust Board" not in html
    assert not PolicyPage.objects.exists()


def test_create_draft_makes_exactly_the_previewed_draft_and_opens_its_editor(client, head, tmp_path):
    response = create_from(client, preview(client, docx_upload(tmp_path, STYLED, "cic.docx")))
    page = PolicyPage.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert not page.live and page.get_parent().specific_class is PolicyIndexPage
    assert page.title == "Children in Care Policy"
    assert (page.adopted_on, page.next_review) == (date(2025, 9, 1), date(2026, 9, 1))
    blocks = blocks_of(page)
    assert [value for kind, value in blocks if kind == "heading"] == ["Aim", "Delivery"]
    [bullets] = [value for kind, value in blocks if kind == "list"]
    assert [i.source for i in bullets["items"]] == ["A PEP for every child.", "A designated teacher in every school."]
    assert page.latest_revision.user == head
    editor = client.get(response["Location"])
    assert editor.status_code == 200 and "was imported as a draft" in editor.content.decode()


def test_bold_lines_and_typed_bullets_become_headings_and_lists(client, head, tmp_path):
    html = preview(client, docx_upload(tmp_path, BOLD, "attendance.docx")).content.decode()
    assert "2: Aim, Procedure" in html and "<ol>" in html and "- Registers" not in html
    create_from(client, preview(client, docx_upload(tmp_path, BOLD, "attendance.docx")))
    page = PolicyPage.objects.get()
    bullets, steps = [value for kind, value in blocks_of(page) if kind == "list"]
    assert not bullets["numbered"] and steps["numbered"]
    assert [i.source for i in steps["items"]] == ["Call home.", "Record the reason."]


def test_a_plain_text_policy_imports_too(client, head):
    text = "Short Policy\n\nNext Review Due\ton change of regulations\n\nAim\n\nTo be short.\n\n- One\n- Two\n"
    response = create_from(client, preview(client, SimpleUploadedFile("short.txt", text.encode())))
    page = PolicyPage.objects.get()
    assert response.status_code == 302 and page.title == "Short Policy"
    assert page.review_basis == ReviewBasis.REGULATIONS
    assert [kind for kind, _ in blocks_of(page)] == ["heading", "paragraph", "list"]


def test_creating_twice_from_one_preview_makes_one_draft(client, head, tmp_path):
    response = preview(client, docx_upload(tmp_path, STYLED))
    create_from(client, response)
    again = create_from(client, response)
    assert PolicyPage.objects.count() == 1
    assert again["Location"] == UPLOAD
    assert "Nothing was created" in client.get(UPLOAD).content.decode()


def test_create_makes_the_preview_on_screen_not_a_later_upload_in_another_tab(client, head, tmp_path):
    first = preview(client, docx_upload(tmp_path, STYLED))
    preview(client, docx_upload(tmp_path, BOLD))
    create_from(client, first)
    assert not PolicyPage.objects.exists()


def test_a_second_import_of_the_same_title_gets_its_own_address(client, head, tmp_path):
    for _ in range(2):
        create_from(client, preview(client, docx_upload(tmp_path, STYLED)))
    assert sorted(PolicyPage.objects.values_list("slug", flat=True)) == [
        "children-in-care-policy",
        "children-in-care-policy-2",
    ]


def _corrupt_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a Word document")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("policy.pdf", b"%PDF-1.4", "use a Word (.docx) or plain-text (.txt) file"),
        ("policy.docx", b"PK\x03\x04 this is not really a zip", "is not a Word document that can be read"),
        ("policy.docx", _corrupt_zip(), "is not a Word document that can be read"),
        ("policy.docx", b"", "policy.docx is empty."),
        ("policy.txt", b"\n\n  \n", "has no text to import"),
        ("policy.txt", b"\xff\xfe\x00b\x00i\x00n", "is not plain UTF-8 text"),
        ("policy.txt", b"Aim\x00\x00", "holds a NUL character"),
    ],
    ids=["pdf", "not-a-zip", "zip-without-word", "empty", "blank", "utf16", "nul-in-text"],
)
def test_a_bad_file_gets_a_plain_message_and_creates_nothing(client, head, name, content, message):
    response = preview(client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert "Nothing was imported" in response.content.decode()
    assert not PolicyPage.objects.exists()


def test_a_nul_in_the_files_name_never_reaches_the_page(client, head):
    from policy.importer import PolicyImportError, parse_upload

    with pytest.raises(PolicyImportError, match="name cannot be used"):
        parse_upload("pol\x00icy.txt", b"Aim\n\nText.\n")
    response = preview(client, SimpleUploadedFile("pol\x00icy.txt", b"Short Policy\n\nAim\n\nText.\n"))
    assert response.status_code == 200  # Django drops the NUL from an uploaded file's name
    create_from(client, response)
    assert "\x00" not in PolicyPage.objects.get().summary


def test_a_huge_file_is_refused_with_its_size(client, head, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = preview(client, SimpleUploadedFile("huge.txt", b"Aim\n\n" + b"x" * (10 * 1024 * 1024 + 1)))
    assert response.status_code == 200 and "is larger than 10 MB" in response.content.decode()


def test_no_file_asks_for_one(client, head):
    response = client.post(UPLOAD, {})
    assert response.status_code == 200 and "This field is required" in response.content.decode()


def test_create_without_a_preview_says_so(client, head):
    response = client.post(CREATE, {"digest": "\x00" + "x" * 5000})
    assert response.status_code == 302 and not PolicyPage.objects.exists()


@pytest.mark.parametrize("name", ["staff", "governor"])
def test_people_without_admin_access_are_refused(client, personas, tmp_path, name):
    sign_in(client, getattr(personas, name))
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"file": docx_upload(tmp_path, STYLED)}).status_code == 403
    assert client.post(CREATE, {"digest": "x"}).status_code == 403
    assert not PolicyPage.objects.exists()


@pytest.mark.parametrize("name", ["dt", "admin"])
def test_admin_users_who_may_not_add_policies_are_sent_back_with_wagtails_message(client, personas, tmp_path, name):
    sign_in(client, getattr(personas, name))
    for response in (
        client.get(UPLOAD),
        client.post(UPLOAD, {"file": docx_upload(tmp_path, STYLED)}),
        client.post(CREATE, {"digest": "x"}),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert "do not have permission" in client.get("/admin/").content.decode()
    assert not PolicyPage.objects.exists()


def test_the_menu_item_is_hidden_from_admin_users_who_may_not_add_policies(client, personas):
    sign_in(client, personas.admin)
    response = client.get("/admin/")
    assert response.status_code == 200 and UPLOAD not in response.content.decode()
