"""Delegated entry in a real browser, in the demo trust: brook's learning mentor adds a SMART target and an
activity to the PEP of the one child the designated teacher delegated, and the designated teacher sees who
entered them."""

import pytest
from django.utils import timezone

from portal.tests.browser.conftest import assert_accessible, assert_reflows_at_320
from portal.tests.browser.test_policy_journeys import demo, sign_in  # noqa: F401 - `demo` is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MENTOR = "mentor.brook@symphony.example"


def target_form(page):
    return page.locator("#targets form").filter(has=page.get_by_role("button", name="Add the target"))


def sign_out(page):
    page.get_by_role("button", name="Sign out", exact=True).click()  # the header's button
    page.wait_for_url("**/accounts/login/")


@pytest.mark.usefixtures("demo")
def test_a_delegate_enters_a_target_and_an_activity_and_the_designated_teacher_sees_who(page, chromium, live_server):
    from casework.delegate_views import current_pep
    from casework.models import Activity, Delegation, Target

    delegation = Delegation.objects.select_related("child").get(delegate__email=MENTOR)
    child = delegation.child
    pep = current_pep(child)
    by_when = pep.period_ends_on
    assert by_when >= timezone.localdate(), "the demo's PEP for Ty must still be running"

    sign_in(page, MENTOR, totp=True)
    page.get_by_role("link", name="Casework you help with").click()
    page.wait_for_url("**/casework/delegated/")
    assert page.get_by_role("link", name="Ty", exact=True).is_visible()
    assert "Hughes" not in page.content()  # the preferred name only: no legal name
    assert_accessible(page)

    page.get_by_role("link", name="Ty", exact=True).click()
    page.wait_for_url(f"**/casework/delegated/{delegation.pk}/")
    for hidden in ("Documents", "Linked plans", "Reviews", "Sign off"):
        assert page.get_by_role("heading", name=hidden).count() == 0
    assert_accessible(page)

    # A target missing how it will be measured is refused with the SMART part named; nothing is lost.
    targets = target_form(page)
    targets.get_by_label("Area").fill("Reading")
    targets.get_by_label("What the child will do").fill("Read a chapter book aloud to an adult each week")
    targets.get_by_label("Starting point").fill("Reads picture books with support")
    targets.get_by_label("Level to reach").fill("Reads a short chapter book independently")
    targets.get_by_label("By when").fill(by_when.isoformat())
    targets.get_by_label("Who will make it happen").fill("Learning mentor")
    targets.get_by_role("button", name="Add the target").click()
    assert page.get_by_text("Say how progress will be measured (Measurable).").first.is_visible()
    assert target_form(page).get_by_label("What the child will do").input_value() == "Read a chapter book aloud to an adult each week"
    assert not Target.objects.filter(pep=pep, area="Reading").exists()
    assert_accessible(page)

    target_form(page).get_by_label("How it will be measured").fill("Weekly reading record")
    target_form(page).get_by_role("button", name="Add the target").click()
    assert page.get_by_text("The target was added.").is_visible()
    target = Target.objects.get(pep=pep, area="Reading")
    assert target.entered_by.email == MENTOR

    activities = page.locator("#activities")
    activities.get_by_label("Activity").fill("Saturday reading club")
    activities.get_by_label("Provider").fill("Brook library")
    activities.get_by_label("Starts on").fill(timezone.localdate().isoformat())
    activities.get_by_role("button", name="Add the activity").click()
    assert page.get_by_text("The activity was added.").is_visible()
    assert Activity.objects.get(child=child, activity="Saturday reading club").entered_by.email == MENTOR
    assert_reflows_at_320(page)

    # The designated teacher stays accountable: the child's page says who entered what.
    sign_out(page)
    sign_in(page, "dt.brook@symphony.example", totp=True)
    page.goto(f"/casework/children/{child.pk}/")
    entries = page.get_by_role("heading", name="Entered by delegates").locator("xpath=following-sibling::ul[1]")
    text = entries.inner_text()
    assert "SMART target: Reading" in text and "Out-of-hours activity: Saturday reading club" in text
