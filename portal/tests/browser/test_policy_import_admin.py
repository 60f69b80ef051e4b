"""The executive head imports a Word policy in the admin: each screen passes axe-core, and the draft is created."""

import pytest

from portal.tests.browser.conftest import assert_accessible
from portal.tests.browser.test_policy_journeys import demo, sign_in  # noqa: F401 - `demo` is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_head_uploads_previews_and_creates_a_draft_on_accessible_screens(page, demo, tmp_path):  # noqa: F811
    from policy.models import PolicyPage
    from policy.tests.docx import build_docx

    word = build_docx(
        tmp_path / "attendance.docx",
        [
            ("text", "Attendance Policy"),
            ("text", "Adopted by the Trust Board on 1 September 2025"),
            ("bold", "Aim"),
            ("text", "Every pupil attends."),
            ("text", "- Registers close at 9:00."),
        ],
    )
    wrong = tmp_path / "attendance.pdf"
    wrong.write_bytes(b"%PDF-1.4")
    sign_in(page, "head@symphony.example", totp=True)
    page.goto("/admin/policies/import/")
    assert_accessible(page)
    page.get_by_label("Policy file").set_input_files(str(wrong))
    page.get_by_role("button", name="Preview the draft").click()
    assert "use a Word (.docx) or plain-text (.txt) file" in page.inner_text("main")
    assert_accessible(page)
    page.get_by_label("Policy file").set_input_files(str(word))
    page.get_by_role("button", name="Preview the draft").click()
    main = page.inner_text("main")
    assert "Attendance Policy" in main and "1 September 2025" in main and "Registers close at 9:00." in main
    assert_accessible(page)
    page.get_by_role("button", name="Create draft").click()
    page.wait_for_url("**/admin/pages/*/edit/")
    created = PolicyPage.objects.get(title="Attendance Policy")
    assert not created.live and page.url.endswith(f"/admin/pages/{created.pk}/edit/")
