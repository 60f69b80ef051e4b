"""Issue 14's "Done when", in a real browser: as the demo's designated teacher, a PEP for a demo child is written,
evaluated and signed off from the child's page alone, without once choosing the child or the PEP from a list,
and the PDF downloaded from the page holds all of it.

Jayden Okoro (brook) has a signed-off Autumn PEP with one SMART target (Art). His designated teacher starts the
Spring PEP from his page, tries to sign it off too early (one plain message per missing part), then adds each
part from a link on the page, returning to the page after every save, and signs it off."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.management import call_command

from portal.tests.browser.conftest import assert_accessible
from portal.tests.browser.test_policy_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# A Wednesday in brook's Autumn 2 half term: the demo's dates are worked out from "today".
TODAY = datetime.datetime(2026, 12, 2, 9, 30, tzinfo=datetime.UTC)
CHILD = "Jayden Okoro"
DT = "dt.brook@symphony.example"

VOICE = {
    "What is going well": "Art club and my friend Sam.",
    "What worries me": "Spelling tests on Fridays.",
    "My hopes and goals": "To draw a comic for the school magazine.",
    "What helps me learn": "Being shown an example first.",
}
SCHEDULE_1 = {
    "Education history": "Brook since Year 2; one school before.",
    "Current educational arrangements": "Full time in Year 4, small group for phonics.",
    "SEN provision": "SEN support: weekly phonics group.",
    "Planned changes": "None planned this term.",
    "How disruption is minimised": "Any placement move keeps Brook: the carer drives him in.",
    "Leisure interests": "Drawing and Saturday swimming.",
    "The carer's role": "Reads with Jayden each evening and comes to every PEP meeting.",
}
TARGET = {
    "Area": "Spelling",
    "What the child will do": "Spell the Year 4 statutory words",
    "How it will be measured": "Fortnightly 20-word check",
    "Starting point": "9 out of 20",
    "Level to reach": "16 out of 20",
    "By when": "2027-03-19",
    "Who will make it happen": "Class teacher and phonics assistant",
}
EVALUATION_NOTE = "Sketchbook finished and shown at the winter exhibition."


def field(page, label):
    """The form control whose label is exactly this (Wagtail adds "*" to required fields' labels)."""
    labelled = page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))
    return labelled.and_(page.locator("input, select, textarea"))


def save(page):
    page.get_by_role("button", name="Save", exact=True).click()


def assert_bound_to_the_child(page, shows):
    """The form shows the child (or PEP) as text and never asks which: no child or PEP control at all."""
    assert page.locator("[name=child], [name=pep]").count() == 0, page.url
    assert shows in page.locator(".fixed-choice").inner_text(), page.url


def back_on_the_plan(page, child, pep):
    """After each save or move the person is back on the child's page, at this PEP's plan (not on a list)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_url(re.compile(rf"/casework/children/{child.pk}/\?pep={pep.pk}#plan$"))
    except PlaywrightTimeout:  # a form that refused the input: say what it said
        pytest.fail(f"Not back on the plan but at {page.url}: " + page.locator("main").inner_text()[:1500])
    assert page.get_by_role("heading", name="The plan: PEP Spring 2026/27", level=2).is_visible()


def move_pep(page, pep, status):
    card = page.locator("form", has=page.locator(f"#status-{pep.pk}"))
    card.locator(f"#status-{pep.pk}").select_option(label=status)
    card.get_by_role("button", name="Update status").click()
    page.wait_for_load_state()


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=True):
        yield TODAY.date()


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.mark.usefixtures("private_media")
def test_a_pep_is_written_evaluated_and_signed_off_from_the_childs_page_alone(page, today):
    pypdf = pytest.importorskip("pypdf")
    call_command("load_demo", stdout=io.StringIO())
    from casework.enums import PEPStatus
    from casework.models import PEP, Child

    child = Child.objects.get(legal_first_name="Jayden", legal_last_name="Okoro")
    autumn = child.peps.get(term="autumn", academic_year="2026/27")
    assert autumn.status == PEPStatus.SIGNED_OFF and autumn.targets.count() == 1

    sign_in(page, DT, totp=True)
    page.goto("/casework/")
    page.get_by_role("link", name=CHILD).first.click()
    page.wait_for_url(f"**/casework/children/{child.pk}/")

    # Start the Spring PEP from the page: the form names the child and does not ask which.
    page.get_by_role("link", name=f"Start a new PEP for {CHILD}").click()
    page.wait_for_url(f"**/admin/casework/pep/create/?child={child.pk}")
    assert_bound_to_the_child(page, CHILD)
    assert_accessible(page)
    field(page, "Academic year").fill("2026/27")
    field(page, "Term").select_option(label="Spring")
    field(page, "Period starts on").fill("2027-01-04")
    field(page, "Period ends on").fill("2027-03-25")
    save(page)
    spring = PEP.objects.get(child=child, term="spring", academic_year="2026/27")
    back_on_the_plan(page, child, spring)

    # Too early: the page says, one plain message a part, what is missing before it can be signed off.
    move_pep(page, spring, "In progress")
    move_pep(page, spring, "Ready for sign-off")
    back_on_the_plan(page, child, spring)
    refused = page.locator(".messages .message--error").all_inner_texts()
    assert len(refused) == 4, refused
    assert refused[0].startswith("Add at least one SMART target")
    assert refused[1].startswith("Record the child's views")
    assert refused[2].startswith("Record attendance")
    assert refused[3] == "Evaluate the previous PEP's targets (met, partly met or not met): 1 still to evaluate."
    spring.refresh_from_db()
    assert spring.status == PEPStatus.IN_PROGRESS
    assert_accessible(page)

    # A SMART target, from the page, bound to this PEP.
    page.get_by_role("link", name="Add a SMART target to this PEP").click()
    page.wait_for_url(f"**/admin/casework/target/create/?pep={spring.pk}")
    assert_bound_to_the_child(page, f"{CHILD}: PEP Spring 2026/27")
    assert_accessible(page)
    for label, value in TARGET.items():
        field(page, label).fill(value)
    field(page, "PP+ allocated (£)").fill("400")
    save(page)
    back_on_the_plan(page, child, spring)
    assert TARGET["What the child will do"] in page.locator("main").inner_text()

    # The PEP's own sections, the child's voice, attendance and the previous PEP's target, from the page.
    page.get_by_role("link", name=re.compile(r"^Edit the PEP: its sections")).click()
    page.wait_for_url(re.compile(rf"/admin/casework/pep/edit/{spring.pk}/\?next="))
    assert_bound_to_the_child(page, CHILD)
    assert_accessible(page)
    for label, value in {**VOICE, **SCHEDULE_1}.items():
        field(page, label).fill(value)
    field(page, "Sessions possible").fill("120")
    field(page, "Sessions attended").fill("114")
    art = autumn.targets.get()
    assert f"{art.area}: {art.what}" in page.locator("main").inner_text()  # the previous target, as it was set
    page.locator("[name='previous_target_evaluations-0-outcome']").select_option(label="Met")
    page.locator("[name='previous_target_evaluations-0-note']").fill(EVALUATION_NOTE)
    save(page)
    back_on_the_plan(page, child, spring)
    plan = page.locator("main").inner_text()
    assert "114 of 120 sessions: 95.0%." in plan and VOICE["What worries me"] in plan and EVALUATION_NOTE in plan

    # The termly PP+ request to the virtual school and its answer, from the page, bound to this PEP.
    page.get_by_role("link", name="Record a PP+ request to the virtual school").click()
    page.wait_for_url(f"**/admin/casework/ppplusrequest/create/?pep={spring.pk}")
    assert_bound_to_the_child(page, f"{CHILD}: PEP Spring 2026/27")
    assert_accessible(page)
    field(page, "Requested on").fill("2027-01-11")
    field(page, "Amount requested (£)").fill("650")
    field(page, "What it is for").fill("Phonics tutoring against the spelling target.")
    field(page, "Answer").select_option(label="Part approved")
    field(page, "Answered on").fill("2027-01-25")
    field(page, "Amount approved (£)").fill("500")
    save(page)
    back_on_the_plan(page, child, spring)
    figures = page.locator(".pep-pp-plus tbody tr").first.inner_text()
    assert figures.split("\t") == ["£650.00", "£500.00", "£0.00", "£400.00", "£0.00"], figures
    assert page.locator(".pep-missing").count() == 0  # nothing left before sign-off

    # Ready, then signed off, from the page.
    move_pep(page, spring, "Ready for sign-off")
    assert "The PEP is now ready for sign-off." in page.locator(".messages").inner_text()
    move_pep(page, spring, "Signed off")
    assert "The PEP is now signed off." in page.locator(".messages").inner_text()
    back_on_the_plan(page, child, spring)
    spring.refresh_from_db()
    assert spring.status == PEPStatus.SIGNED_OFF and spring.signed_off_by.email == DT
    assert list(spring.targets.values_list("area", flat=True)) == ["Spelling"]
    assert list(spring.ppplus_requests.values_list("amount_requested", flat=True)) == [650]

    # The PDF, from the page, holds all of it.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PEP as a PDF").click()
    reader = pypdf.PdfReader(download.value.path())
    # Whitespace out: the extraction splits a kerned word ("T eacher") or joins table cells.
    text = "".join("".join(p.extract_text().split()) for p in reader.pages)
    for expected in (
        CHILD,
        "Spring term 2026/27",
        TARGET["What the child will do"],
        TARGET["Who will make it happen"],
        f"{art.area}: {art.what}",
        "Met",
        EVALUATION_NOTE,
        *VOICE.values(),
        *SCHEDULE_1.values(),
        "114 of 120 sessions: 95.0%",
        "£650.00",
        "£500.00",
        "£400.00",
    ):
        assert "".join(expected.split()) in text, expected
