"""The Content-Security-Policy in a real browser: Wagtail's admin works under the portal's strict policy.

Every page is watched for CSP violations twice over: a `securitypolicyviolation` listener installed before
any of the page's own scripts run (page.add_init_script) records each violation into the window, and the
console is read for Chromium's own "Content Security Policy" messages (which also cover framing refusals).
The watcher is first shown to catch a violation when there is one, so a silent pass means none happened.
"""

import json
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conftest import totp_code
from portal.tests.browser.test_casework_admin_a11y import screens_for
from trust.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DT_EMAIL = "dt.brook@symphony.example"
HEAD_EMAIL = "head@symphony.example"
STAFF_EMAIL = "staff12.brook@symphony.example"

RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: event.sourceFile,
        line: event.lineNumber,
        sample: event.sample,
    });
});
"""

# The violation events are queued as tasks: let any still pending be delivered before reading them.
READ = """async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return window.__cspViolations || [];
}"""

PICKER = ".xdsoft_datetimepicker"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


class CSPWatch:
    """Every CSP violation on every page and frame the browser shows, keyed by the page's address."""

    def __init__(self, page):
        self.page = page
        self.violations = {}
        self.console = []
        page.add_init_script(RECORDER)
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append({"page": self.page.url, "text": message.text})

    def read(self):
        """Record what the page (and each of its frames) has reported so far."""
        for frame in self.page.frames:
            if frame.url in ("", "about:blank"):
                continue
            found = frame.evaluate(READ)
            if found:
                self.violations.setdefault(frame.url, []).extend(found)
                frame.evaluate("() => { window.__cspViolations = []; }")

    def visit(self, url):
        response = self.page.goto(url)
        assert response.status == 200, f"{url} answered {response.status}"
        self.read()
        return response

    def assert_none(self):
        self.read()
        assert not self.violations and not self.console, json.dumps(
            {"violations": self.violations, "console": self.console}, indent=1
        )


def sign_in_watched(watch, email, totp=False):
    """Sign in through allauth's pages, reading the watcher on each of them (the sign-in pages are front end)."""
    page = watch.page
    watch.visit("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if totp:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        watch.read()
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    watch.read()


def test_the_watcher_catches_a_violation_when_there_is_one(page, demo):
    watch = CSPWatch(page)
    watch.visit("/accounts/login/")
    # Evaluated through DevTools (allowed), the page itself then tries to run an inline script (refused).
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }")
    watch.read()
    assert any(v["directive"].startswith("script-src") for v in sum(watch.violations.values(), []))
    assert watch.console, "Chromium's console message for the refused script was not seen"


def test_designated_teachers_admin_screens_run_under_the_strict_policy(page, demo):
    from django.contrib.auth import get_user_model

    watch = CSPWatch(page)
    sign_in_watched(watch, DT_EMAIL, totp=True)
    screens, _ = screens_for(get_user_model().objects.get(email=DT_EMAIL))
    labels = {label for label, _, _ in screens}
    for model in ("child", "pep", "target", "review"):
        assert {f"{model} index", f"{model} create", f"{model} edit"} <= labels, model
    for url in ["/", "/casework/", "/admin/", *[url for _, url, _ in screens]]:
        watch.visit(url)
    watch.assert_none()


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ("/admin/casework/child/create/", "#id_date_of_birth"),
        ("/admin/casework/pep/create/", "#id_meeting_date"),
        ("/admin/casework/review/create/", "#id_held_on"),
        ("/admin/casework/target/create/", "#id_by_when"),
    ],
)
def test_the_date_picker_opens_on_casework_forms(page, demo, form, field):
    watch = CSPWatch(page)
    sign_in_watched(watch, DT_EMAIL, totp=True)
    watch.visit(form)
    page.locator(field).click()
    picker = page.locator(PICKER).filter(visible=True)
    picker.first.wait_for(state="visible")
    # Choosing a day fills the field in the format the form reads.
    picker.first.locator(".xdsoft_date:not(.xdsoft_disabled)").first.click()
    assert page.locator(field).input_value(), f"{form}: choosing a day left {field} empty"
    watch.assert_none()


def test_a_progress_note_added_to_a_target_gets_a_working_date_picker(page, demo):
    """The inline panel starts (its Add button works) and the date field of the new note, which comes from
    the panel's empty-form template, gets its picker too."""
    watch = CSPWatch(page)
    sign_in_watched(watch, DT_EMAIL, totp=True)
    watch.visit("/admin/casework/target/create/")
    before = int(page.locator("#id_progress_notes-TOTAL_FORMS").input_value())
    page.locator("#id_progress_notes-ADD").click()
    assert int(page.locator("#id_progress_notes-TOTAL_FORMS").input_value()) == before + 1
    added = page.locator(f"#id_progress_notes-{before}-noted_on")
    added.click()
    page.locator(PICKER).filter(visible=True).first.wait_for(state="visible")
    watch.assert_none()


def test_the_front_end_runs_under_the_strict_policy(page, demo):
    """The sign-in pages, the dashboard and a policy page's acknowledge form, submitted (a refusal: wrong
    answers), with no violation; the front end's policy never allows inline scripts."""
    from portal.tests.browser.test_policy_journeys import policy_page

    watch = CSPWatch(page)
    sign_in_watched(watch, STAFF_EMAIL)
    response = watch.visit("/policies/")
    script_src = [d for d in response.header_value("content-security-policy").split(";") if "script-src" in d]
    assert script_src and all("unsafe" not in d for d in script_src), script_src
    policy = policy_page()
    watch.visit(policy.url)
    for number, question in enumerate((block.value for block in policy.comprehension_check), start=1):
        page.get_by_role("group", name=f"Question {number}").get_by_label(
            question["other_answers"][0], exact=True
        ).check()
    page.get_by_label("I have read and understood version").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Acknowledge").click()
    assert "Some answers were not right" in page.inner_text("main")
    watch.read()
    watch.visit("/")
    watch.assert_none()


def test_the_page_editors_preview_panel_shows_the_page(page, demo):
    """Wagtail's live preview frames /admin/pages/<id>/edit/preview/ in the editor: it must be allowed to
    (frame-ancestors 'self', X-Frame-Options SAMEORIGIN) and show the page, with no violation."""
    from portal.tests.browser.test_policy_journeys import policy_page

    policy = policy_page()
    watch = CSPWatch(page)
    sign_in_watched(watch, HEAD_EMAIL, totp=True)
    watch.visit(f"/admin/pages/{policy.pk}/edit/")
    preview_path = f"/admin/pages/{policy.pk}/edit/preview/"

    def is_the_framed_preview(response):
        return urlparse(response.url).path == preview_path and response.request.method == "GET"

    with page.expect_response(is_the_framed_preview) as loaded:
        page.get_by_role("button", name="Toggle preview").click()
    preview = loaded.value
    assert preview.header_value("x-frame-options") == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in preview.header_value("content-security-policy")
    # Wagtail loads the preview into a second (proxy) iframe, then swaps it in as #w-preview-iframe.
    shown = page.frame_locator(f"iframe#w-preview-iframe[src*='{preview_path}']:not(.w-preview__proxy)")
    expect(shown.locator("main")).to_contain_text(policy.title)
    watch.assert_none()
