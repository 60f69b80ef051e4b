"""The executive head sees the draft they submit in every preview (issue 17): "View draft", "Preview in new
tab" and the side panel (rendered under the portal's CSP), while readers still get the published words."""

import pytest

from portal.tests.browser.test_policy_journeys import demo, policy_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADDED = "Draft preview wording: every PEP meeting is minuted within five school days."


def _type_into_the_body(page, text):
    paragraph = page.locator("#panel-child-content-body-content [contenteditable='true']").first
    paragraph.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" " + text)
    # Draftail copies its content into the form's hidden input after typing: wait for it on a busy machine.
    page.wait_for_function(
        "text => [...document.querySelectorAll('#panel-child-content-body-content input[type=hidden]')]"
        ".some(input => input.value.includes(text))",
        arg=text,
    )


def test_head_submits_a_material_change_and_sees_the_draft_in_every_preview(page, live_server, demo):  # noqa: F811
    from policy.versions import current_version

    policy = policy_page()
    live_number = current_version(policy).number
    csp_errors = []
    page.on("console", lambda message: "Content Security Policy" in message.text and csp_errors.append(message.text))

    # The head edits the Children in Care policy and submits a material change for approval.
    sign_in(page, "head@symphony.example", totp=True)
    page.goto(f"/admin/pages/{policy.pk}/edit/")
    _type_into_the_body(page, ADDED)
    page.get_by_label("Material change: a new version number").check()
    page.locator("#id_change_summary").fill("PEP meetings are minuted within five school days.")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Policy approval").click()
    page.wait_for_url("**/admin/pages/*/")
    assert "has been submitted" in page.inner_text("body")

    # "View draft" shows the revision in moderation.
    page.goto(f"/admin/pages/{policy.pk}/view_draft/")
    assert ADDED in page.inner_text("body")

    # The editor: the change waits for the second approver, and the side panel previews the draft.
    page.goto(f"/admin/pages/{policy.pk}/edit/")
    assert "another approver must approve it" in page.inner_text("body")
    page.get_by_role("button", name="Toggle preview").click()
    iframe = page.frame_locator("#w-preview-iframe")
    iframe.locator("body").get_by_text(ADDED).wait_for()

    # "Preview in new tab" opens the same draft.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview in new tab").click()
    tab = opened.value
    tab.wait_for_load_state()
    tab.get_by_text(ADDED).wait_for()

    # Readers still see the published version until a second approver approves.
    page.goto(policy.url)
    assert ADDED not in page.inner_text("body")
    policy.refresh_from_db()
    assert current_version(policy).number == live_number
    assert csp_errors == []
