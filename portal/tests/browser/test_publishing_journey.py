"""Publishing a material change in the Wagtail admin (the head submits it, a second approver approves it),
and a reader who acknowledged the last version seeing that they must acknowledge again, and what changed."""

import pytest

from portal.tests.browser.conftest import assert_accessible
from portal.tests.browser.test_policy_journeys import demo, policy_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADDED = "Staff record every PEP meeting date on the school system."
CHANGE_SUMMARY = "Staff now record every PEP meeting date on the school system."


def test_head_submits_a_material_change_the_approver_publishes_it_and_staff_see_what_changed(
    page,
    chromium,
    live_server,
    demo,  # noqa: F811
):
    from policy.versions import current_version

    policy = policy_page()
    assert current_version(policy).number == 2

    # The executive head edits the first paragraph of the body and submits it as a material change.
    sign_in(page, "head@symphony.example", totp=True)
    page.goto(f"/admin/pages/{policy.pk}/edit/")
    paragraph = page.locator("#panel-child-content-body-content [contenteditable='true']").first
    paragraph.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" " + ADDED)
    # Draftail copies its content into the form's hidden input after typing: wait for it on a busy machine.
    page.wait_for_function(
        "text => [...document.querySelectorAll('#panel-child-content-body-content input[type=hidden]')]"
        ".some(input => input.value.includes(text))",
        arg=ADDED,
    )
    page.get_by_label("Material change: a new version number").check()
    page.locator("#id_change_summary").fill(CHANGE_SUMMARY)
    page.get_by_role("button", name="More actions").click()
    assert page.get_by_role("button", name="Publish").count() == 0  # a second person approves (issue 17)
    page.get_by_role("button", name="Submit to Policy approval").click()
    page.wait_for_url("**/admin/pages/*/")
    assert "has been submitted" in page.inner_text("body")
    policy.refresh_from_db()
    assert current_version(policy).number == 2

    # The second approver (in "Policy approvers") approves it in the editor, which publishes it.
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        approver = context.new_page()
        approver.set_default_timeout(15000)
        sign_in(approver, "approver@symphony.example", totp=True)
        approver.goto(f"/admin/pages/{policy.pk}/edit/")
        approver.get_by_role("button", name="More actions").click()
        approver.get_by_role("button", name="Approve and Publish", exact=True).click()
        approver.wait_for_url(lambda url: "/edit/" not in url)
    finally:
        context.close()

    policy.refresh_from_db()
    version = current_version(policy)
    assert version.number == 3
    assert version.is_material
    assert version.change_summary == CHANGE_SUMMARY

    # A member of staff who acknowledged version 2 must now acknowledge version 3 ...
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        reader = context.new_page()
        reader.set_default_timeout(15000)
        sign_in(reader, "staff1.brook@symphony.example")
        reader.goto(policy.url)
        text = reader.inner_text("main")
        assert "To acknowledge" in text
        assert "Please read and acknowledge version 3" in text
        assert "You acknowledged version 2" in text

        # ... and sees what changed since the version they read: the added words, marked as inserted.
        reader.get_by_role("link", name="See what has changed since then").click()
        reader.wait_for_url("**/changes/?from=*")
        changes = reader.inner_text("main")
        assert "From version 2" in changes and "to version 3" in changes
        assert "10 words added, 0 words removed, in 1 paragraph." in changes
        assert reader.locator(".diff ins, .diff del").count() > 0
        inserted = " ".join(reader.locator(".diff ins").all_inner_texts())
        assert ADDED in inserted
        assert reader.locator(".diff del").count() == 0  # nothing was removed
        assert_accessible(reader)
    finally:
        context.close()
