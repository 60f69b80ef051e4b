"""Wrong comprehension answers (issue 17, item 6): focus moves to the error summary at the top of the form,
which links to each question, and each wrong question shows its error next to it."""

import pytest

from portal.tests.browser.test_policy_journeys import demo, policy_page, sign_in  # noqa: F401 - demo is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SUMMARY_IN_VIEW_AND_FOCUSED = """() => {
  const summary = document.querySelector('.error-summary');
  const box = summary.getBoundingClientRect();
  return document.activeElement === summary && box.top >= 0 && box.top < window.innerHeight;
}"""


def test_wrong_answers_put_the_reader_on_the_error_summary_which_leads_to_each_question(page, demo):  # noqa: F811
    questions = [block.value for block in policy_page().comprehension_check]
    sign_in(page, "staff12.brook@symphony.example")
    page.goto(policy_page().url)
    for number, question in enumerate(questions, start=1):
        page.get_by_role("group", name=f"Question {number}").get_by_label(question["other_answers"][0], exact=True).check()
    page.get_by_label("I have read and understood version").check()
    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_load_state("load")

    assert page.evaluate(SUMMARY_IN_VIEW_AND_FOCUSED), "the error summary is not focused and in view"
    summary = page.locator(".error-summary")
    for number in range(1, len(questions) + 1):
        group = page.get_by_role("group", name=f"Question {number}")
        assert group.locator(".field-error").count() == 1, f"question {number} shows no error next to it"
    summary.get_by_role("link", name="Question 2").click()
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "id_question_2_0"
    legend_in_view = page.evaluate(
        "() => { const b = document.activeElement.closest('fieldset').querySelector('legend')"
        ".getBoundingClientRect(); return b.top >= 0 && b.bottom <= window.innerHeight; }"
    )
    assert legend_in_view
