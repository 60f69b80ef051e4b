"""The designated teacher's casework journey, in the demo trust, in a real browser.

Records a child, reads the initial PEP deadline in school days, uploads a document, sends the records
to a receiving school through a single-use link, and the receiving school downloads them once.
"""

import datetime
import re
import zipfile

import pytest
from django.core import mail

from portal.tests.browser.conftest import assert_accessible
from portal.tests.browser.test_policy_journeys import demo, sign_in  # noqa: F401 - `demo` is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STARTED_ON = datetime.date(2026, 11, 16)
ENTERED_CARE_ON = datetime.date(2026, 11, 16)  # first statutory review due with the initial PEP, 14 Dec
RECEIVING_EMAIL = "dt@riverside.example"
# A minimal real PDF: the header is what the content check (filetype) recognises.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def a_valid_upn():
    from casework.upn import check_letter, validate_upn

    body = "855" + "2001" + "26" + "917"  # LA, establishment, year of allocation, serial
    upn = check_letter(body) + body
    validate_upn(upn)
    return upn


def field(page, label):
    """The form field whose label is exactly this (Wagtail adds "*" to required fields' labels)."""
    labelled = page.get_by_label(re.compile(rf"^\s*{label}\s*\*?\s*$"))
    return labelled.and_(page.locator("input, select, textarea"))  # not the panel that shares its heading


def choose(page, label, option_label):
    field(page, label).select_option(label=option_label)


@pytest.fixture
def private_media(settings, tmp_path):
    """The demo's documents and the upload go to a temporary folder, not the project's media folder."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.mark.usefixtures("private_media", "demo")
def test_designated_teacher_records_a_child_uploads_a_document_and_sends_the_records_once(
    page, chromium, live_server, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # links in emails name the configured site, never the request's host
    from casework.deadlines import DeadlineEngine
    from casework.models import CaseDocument, Child, LocalAuthority
    from trust.models import School

    brook = School.objects.get(slug="brook")
    authority = LocalAuthority.objects.get(name="Leicestershire")
    upn = a_valid_upn()

    sign_in(page, "dt.brook@symphony.example", totp=True)

    # Record a new child through the casework admin.
    page.goto("/admin/casework/child/create/")
    field(page, "Legal first name").fill("Rosalind")
    field(page, "Legal last name").fill("Pennington")
    field(page, "Preferred name").fill("Roz")
    field(page, "Date of birth").fill("2017-05-09")
    field(page, "UPN").fill(upn)
    choose(page, "School", brook.name)
    choose(page, "Year group", "Year 4")
    choose(page, "Cohort", "Looked after")
    field(page, "Entered care on").fill(ENTERED_CARE_ON.isoformat())
    field(page, "Started on").fill(STARTED_ON.isoformat())
    choose(page, "Responsible authority", authority.name)
    page.get_by_role("heading", level=1).first.click()  # as a person does: the last date's calendar closes
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/casework/child/")
    child = Child.objects.get(upn=upn)
    assert child.school == brook and child.responsible_authority == authority and child.started_on == STARTED_ON

    # The casework home shows the initial PEP deadline the engine computes, with its unit.
    due_on, rule = DeadlineEngine.for_school(brook).initial_pep_due(child)
    assert rule.label == "20 school days"
    due_text = f"{due_on.day} {due_on:%b %Y}"  # the page's "j M Y"
    page.goto("/casework/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Roz Pennington"))
    row_text = row.inner_text()
    assert "Initial PEP" in row_text
    assert due_text in row_text
    assert "within 20 school days of starting at the school or entering care" in row_text
    assert_accessible(page)

    page.get_by_role("link", name="Roz Pennington").click()
    page.wait_for_url(f"**/casework/children/{child.pk}/")
    assert page.get_by_role("heading", name="Roz Pennington", level=1).is_visible()
    pep_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Initial PEP")).inner_text()
    assert due_text in pep_row and "school days" in pep_row
    assert_accessible(page)

    # Upload a document to the child's record.
    page.goto("/admin/casework/casedocument/create/")
    choose(page, "Child", "Roz Pennington")
    field(page, "Title").fill("Care plan summary")
    choose(page, "Category", "Pupil file")
    field(page, "File").set_input_files({"name": "care-plan.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/casework/casedocument/")
    document = CaseDocument.objects.get(child=child, title="Care plan summary")
    assert document.content_type == "application/pdf"
    page.goto(f"/casework/children/{child.pk}/")
    assert page.get_by_role("link", name="Care plan summary").is_visible()

    # Record the move to the receiving school, choosing the document, and send the link.
    page.goto("/admin/casework/transition/create/")
    choose(page, "Child", "Roz Pennington")
    field(page, "Receiving school").fill("Riverside Primary School")
    field(page, "Receiving designated teacher").fill("Sam Rivers")
    field(page, "Receiving designated teacher's email").fill(RECEIVING_EMAIL)
    field(page, "Left on").fill("2026-11-27")
    choose(page, "Documents", str(document))  # named with the child and the upload date: never two alike
    page.get_by_role("heading", level=1).first.click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/casework/transition/")
    transition = child.transitions.get()
    assert list(transition.documents.all()) == [document]

    page.goto(f"/casework/transitions/{transition.pk}/")
    assert "Care plan summary" in page.inner_text("main")
    mail.outbox.clear()
    page.get_by_role("button", name="Send a single-use link").click()
    page.wait_for_load_state()
    shown = page.locator("main code").inner_text()
    assert f"A single-use link was sent to {RECEIVING_EMAIL}." in page.inner_text("body")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [RECEIVING_EMAIL]
    emailed = re.search(r"https?://\S+/casework/receive/\?link=\S+", mail.outbox[0].body).group(0)
    assert emailed == shown

    # The receiving school, not signed in, downloads the pack once.
    context = chromium.new_context(base_url=live_server.url)
    try:
        receiver = context.new_page()
        receiver.set_default_timeout(15000)
        receiver.goto(shown)
        # The link is exchanged for a cookie and the page opens itself at an address without the token.
        receiver.wait_for_url(f"**/casework/receive/{transition.pk}/")
        assert "For Sam Rivers, designated teacher at Riverside Primary School." in receiver.inner_text("main")
        with receiver.expect_download() as first:
            receiver.get_by_role("button", name="Download the records (once only)").click()
        download = first.value
        assert download.suggested_filename == "transfer-records.zip"
        with zipfile.ZipFile(download.path()) as archive:
            names = archive.namelist()
            assert len(names) == 1 and names[0].startswith("01-")
            assert archive.read(names[0]) == PDF

        # A second attempt from the same (now stale) page is refused, plainly, and nothing is downloaded.
        with receiver.expect_response(lambda r: r.request.method == "POST") as second:
            receiver.get_by_role("button", name="Download the records (once only)").click()
        assert second.value.status == 410
        receiver.wait_for_load_state()
        refused = receiver.inner_text("main")
        assert "The records have been downloaded through this link. It works only once" in refused
        assert f"ask {brook.name} for a new link" in refused
        # Reopening the link no longer offers the download at all.
        receiver.goto(shown)
        receiver.wait_for_url(f"**/casework/receive/{transition.pk}/")
        assert receiver.get_by_role("button", name="Download the records (once only)").count() == 0
        assert "It works only once" in receiver.inner_text("main")
    finally:
        context.close()

    transition.refresh_from_db()
    assert transition.link_used_at is not None
    assert transition.downloads.count() == 1
