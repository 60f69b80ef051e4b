from urllib.parse import urlparse

import pytest

from conftest import totp_code
from portal.tests.browser.conftest import assert_accessible, assert_reflows_at_320
from trust.tests.factories import PASSWORD


def at_dashboard(url):
    return urlparse(url).path == "/"


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_member_signs_in_with_the_keyboard_alone(page, personas):
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert_accessible(page)
    assert_reflows_at_320(page)
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Skip to main content"
    page.get_by_label("Email").fill(personas.staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(at_dashboard)
    assert page.get_by_role("heading", level=1).inner_text() == "Your dashboard"
    assert "Staff member, Brook Primary School" in page.inner_text("header")
    assert_accessible(page)
    assert_reflows_at_320(page)


def test_designated_teacher_signs_in_with_a_totp_code(page, personas):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(personas.dt.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(at_dashboard)
    assert "Designated teacher, Brook Primary School" in page.inner_text("header")


def test_the_accessibility_statement_is_accessible(page, personas):
    from conftest import sign_in  # noqa: F401 - sign in through the form, as a person would

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(personas.governor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(at_dashboard)
    page.goto("/accessibility/")
    assert page.get_by_role("heading", level=1).inner_text() == "Accessibility statement"
    assert_accessible(page)
    assert_reflows_at_320(page)
