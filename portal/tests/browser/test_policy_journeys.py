"""The journeys that matter, in the demo trust, in a real browser."""

from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from conftest import totp_code
from portal.tests.browser.conftest import assert_accessible, assert_reflows_at_320
from trust.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def sign_in(page, email, totp=False):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if totp:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")


def policy_page(demo_page_model="policy.PolicyPage"):
    from policy.models import PolicyPage

    return PolicyPage.objects.live().get(slug__startswith="children-in-care")


def test_staff_member_reads_fails_then_passes_the_check_and_opens_the_receipt(page, demo):
    policy = policy_page()
    questions = [block.value for block in policy.comprehension_check]
    sign_in(page, "staff12.brook@symphony.example")
    assert "Children in Care policy" in page.inner_text("main")  # outstanding on the dashboard
    page.goto("/policies/")
    assert_accessible(page)
    page.get_by_role("link", name="Children in Care policy").first.click()
    assert "To acknowledge" in page.inner_text("main") or "Overdue" in page.inner_text("main")
    assert_accessible(page)
    assert_reflows_at_320(page)

    # Wrong answers: refused, with the questions to look at again.
    for number, question in enumerate(questions, start=1):
        wrong = question["other_answers"][0]
        page.get_by_role("group", name=f"Question {number}").get_by_label(wrong, exact=True).check()
    page.get_by_label("I have read and understood version").check()
    page.get_by_role("button", name="Acknowledge").click()
    assert "Some answers were not right" in page.inner_text("main")
    assert_accessible(page)

    # Right answers, with the keyboard: the acknowledgement is recorded and the receipt opens.
    for number, question in enumerate(questions, start=1):
        page.get_by_role("group", name=f"Question {number}").get_by_label(question["correct_answer"], exact=True).focus()
        page.keyboard.press("Space")
    assert page.get_by_label("I have read and understood version").is_checked()  # kept from the first try
    page.get_by_role("button", name="Acknowledge").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Acknowledged" in page.inner_text("main")
    page.get_by_role("link", name="Your receipt").click()
    receipt = page.inner_text("main")
    assert "Children in Care policy" in receipt and "SHA-256" in receipt
    assert_accessible(page)


def test_governor_sees_briefing_figures_and_no_childs_name(page, demo):
    from casework.models import Child

    sign_in(page, "governor.brook@symphony.example")
    page.goto("/briefing/")
    text = page.inner_text("main")
    assert "Brook Primary School" in text
    assert "%" in text
    for child in Child.objects.all():
        for identity in (child.legal_first_name, child.legal_last_name, child.preferred_name, child.upn):
            if identity:
                assert identity not in text
    assert "Meadow Primary School" not in text
    assert_accessible(page)
    assert_reflows_at_320(page)


def test_designated_teacher_signs_in_with_totp_and_sees_casework_deadlines_in_school_days(page, demo):
    sign_in(page, "dt.brook@symphony.example", totp=True)
    page.goto("/casework/")
    text = page.inner_text("main")
    assert "school days" in text
    assert "overdue" in text.lower()
    assert_accessible(page)
