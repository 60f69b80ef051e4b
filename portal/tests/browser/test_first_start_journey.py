"""A first start that just works (issue 18, item 3), in a real browser: the accessibility statement is open to
everyone and true at phone widths, and a person without admin access is told so at /admin/."""

import pytest
from django.core.management import call_command

from portal.tests.browser.conftest import assert_accessible
from portal.tests.browser.test_policy_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OFF_SCREEN = """(width) => {
  const main = document.querySelector('main');
  const hidden = [];
  for (const el of main.querySelectorAll('a, button, input, select')) {
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1)) hidden.push(el.textContent.trim() || el.name);
  }
  for (const wrap of main.querySelectorAll('.table-wrap')) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) hidden.push('a table wider than the screen');
  }
  return hidden;
}"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_accessibility_statement_is_readable_without_signing_in(page, live_server):
    response = page.goto("/accessibility/")
    assert response.status == 200
    assert page.url.endswith("/accessibility/")
    assert "Accessibility statement" in page.inner_text("h1")
    assert_accessible(page)


def test_at_phone_widths_no_table_hides_its_actions_and_the_admin_says_no(page, demo):
    from policy.models import ReadReceipt

    reader = ReadReceipt.objects.filter(user__email__startswith="staff").order_by("pk").first().user
    sign_in(page, reader.email)
    for url in ("/policies/receipts/", "/policies/"):
        page.goto(url)
        for width in (320, 375):
            page.set_viewport_size({"width": width, "height": 800})
            assert page.evaluate(OFF_SCREEN, width) == [], f"{url} at {width}px"
    page.goto("/policies/receipts/")
    page.get_by_role("link", name="Open").first.click()
    assert "Read receipt" in page.inner_text("h1")

    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto("/admin/")
    assert response.status == 403
    assert page.url.endswith("/admin/")
    assert "You do not have access to the admin" in page.inner_text("h1")
    assert_accessible(page)
