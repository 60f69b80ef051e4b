"""Accessibility of the casework admin screens a designated teacher uses, in the demo trust.

The demo designated teacher of Brook signs in (password and TOTP) and axe-core checks every index,
create, edit and inspect screen of every wagtail-modeladmin registration in casework/wagtail_hooks.py
that their permissions open to them. The registrations are read from that module when the test runs,
so a screen registered later is checked too, and each create form once more after an empty Save (the
error state). No serious or critical violation may remain, except the ones listed in WAGTAIL_MARKUP:
each names the rule, the element and why it cannot be fixed in our code.

The one violation found so far was fixed in our code rather than listed: wagtail-modeladmin's inspect
screen puts Edit and Delete in Wagtail's dark footer, where Wagtail 8's outline button fails
color-contrast (serious); templates/modeladmin/casework/inspect.html moves them under the record.
"""

import json
from types import SimpleNamespace

import pytest
from django.urls import NoReverseMatch

from portal.tests.browser.conftest import serious_violations
from portal.tests.browser.test_policy_journeys import demo, sign_in  # noqa: F401 - `demo` is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DT_EMAIL = "dt.brook@symphony.example"

# The screens the brief names: if discovery ever misses one of these, the test fails rather than pass on less.
EXPECTED_MODELS = {
    "child",
    "pep",
    "target",
    "linkedplan",
    "review",
    "activity",
    "casedocument",
    "transition",
    "sharedrecommendation",
    "delegation",
    "deadlinerule",
}

# Serious or critical violations caused by Wagtail's own admin markup, which our code cannot change.
# Keyed by (axe rule id, CSS selector of the element as axe reports it); the value says why it stays.
# Keep each entry exact: an entry matches that element only, never a whole rule or page. An entry no
# screen needs any more fails the test, so the list only ever says what is true. Empty today: every
# violation found so far had a fix in our code (see the module docstring).
WAGTAIL_MARKUP: dict[tuple[str, str], str] = {}


def registered_casework_admins():
    """Every ModelAdmin registered in casework/wagtail_hooks.py (in groups or on its own), as registered."""
    from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup

    from casework import wagtail_hooks

    admins = {}
    for value in vars(wagtail_hooks).values():
        if isinstance(value, type) and issubclass(value, ModelAdminGroup) and value is not ModelAdminGroup:
            for item in value().modeladmin_instances:
                admins[item.model._meta.model_name] = item
    for value in vars(wagtail_hooks).values():
        if isinstance(value, type) and issubclass(value, ModelAdmin) and getattr(value, "model", None):
            name = value.model._meta.model_name
            if name not in admins:
                admins[name] = value()
    registered = {}
    for name, model_admin in admins.items():
        try:
            model_admin.url_helper.index_url  # noqa: B018 - reversing proves the URLs are registered
        except NoReverseMatch:
            continue
        registered[name] = model_admin
    return registered


def first_where(queryset, allowed):
    return next((obj for obj in queryset.order_by("pk") if allowed(obj)), None)


def screens_for(user):
    """(label, URL, links the screen must offer) of each screen the person may open, and the screens
    that had nothing to open."""
    request = SimpleNamespace(user=user)
    screens, missing = [], []
    for name, model_admin in sorted(registered_casework_admins().items()):
        helper, urls = model_admin.permission_helper, model_admin.url_helper
        if not helper.user_can_list(user):
            continue
        screens.append((f"{name} index", urls.index_url, []))
        if helper.user_can_create(user):
            screens.append((f"{name} create", urls.create_url, []))
        queryset = model_admin.get_queryset(request)
        editable = first_where(queryset, lambda obj, h=helper: h.user_can_edit_obj(user, obj))
        if editable is not None:
            screens.append((f"{name} edit", urls.get_action_url("edit", editable.pk), []))
        elif helper.user_can_create(user):
            missing.append(f"{name} edit (the demo has no {name} this person may edit)")
        if model_admin.inspect_view_enabled:
            shown = first_where(queryset, lambda obj, h=helper: h.user_can_inspect_obj(user, obj))
            if shown is not None:
                edit = ["Edit"] if helper.user_can_edit_obj(user, shown) else []
                screens.append((f"{name} inspect", urls.get_action_url("inspect", shown.pk), edit))
            else:
                missing.append(f"{name} inspect (the demo has no {name} this person may see)")
    return screens, missing


SETTLE = """async () => {
    // Transitions only (a state being drawn): Wagtail's decorative badge animation pulses for 25 s.
    const running = document.getAnimations().filter(
        (a) => a instanceof CSSTransition && a.playState === "running"
    );
    const ended = Promise.all(running.map((a) => a.finished.catch(() => null)));
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5000))]);
    return running.length;
}"""


def settle(page):
    """Let running CSS transitions end (Wagtail fades its messages in over 0.5 s): axe measures colours
    as drawn, and a half-faded banner is not what anyone reads."""
    page.evaluate(SETTLE)


def unexplained(violations):
    """The violations left once the exact elements in WAGTAIL_MARKUP are set aside."""
    left = []
    for violation in violations:
        nodes = [n for n in violation["nodes"] if (violation["id"], " ".join(n["target"])) not in WAGTAIL_MARKUP]
        if nodes:
            left.append({**violation, "nodes": nodes})
    return left


def a_school_rule_for(school):
    """The demo keeps trust-wide and local authority rules only; a school's own rule is its DT's to edit."""
    from casework.enums import DeadlineKind
    from casework.models import DeadlineRule
    from trust.school_days import DayUnit

    if not DeadlineRule.objects.filter(school=school).exists():
        kind = DeadlineKind.values[0]
        DeadlineRule.objects.create(kind=kind, days=20, unit=DayUnit.SCHOOL, school=school)


def test_every_casework_admin_screen_a_designated_teacher_uses_is_accessible(page, demo):  # noqa: F811
    from django.contrib.auth import get_user_model

    from trust.models import School

    dt = get_user_model().objects.get(email=DT_EMAIL)
    a_school_rule_for(School.objects.get(slug="brook"))
    screens, missing = screens_for(dt)
    assert not missing, "Screens with nothing to open in the demo (add demo data for them): " + "; ".join(missing)
    covered = {label.split()[0] for label, _, _ in screens}
    assert EXPECTED_MODELS <= covered, f"not checked: {sorted(EXPECTED_MODELS - covered)}"

    sign_in(page, DT_EMAIL, totp=True)
    failures, seen = {}, set()

    def check(label):
        settle(page)
        violations = serious_violations(page)
        seen.update((v["id"], " ".join(n["target"])) for v in violations for n in v["nodes"])
        left = unexplained(violations)
        if left:
            failures[f"{label} {page.url}"] = left

    for label, url, links in screens:
        response = page.goto(url)
        assert response.status == 200, f"{label} ({url}) answered {response.status}"
        assert page.url.endswith(url), f"{label} ({url}) went to {page.url}"
        assert page.locator("main, #main").count() >= 1, f"{label} ({url}) shows no main content"
        for name in links:
            assert page.get_by_role("link", name=name, exact=True).is_visible(), f"{label} ({url}) offers no {name}"
        check(label)
        if label.endswith(" create"):
            # The same form as it comes back from an empty Save: the errors and their summary.
            with page.expect_navigation():
                page.get_by_role("button", name="Save", exact=True).click()
            assert "could not be created" in page.inner_text("body"), f"{label}: an empty Save was not refused"
            check(f"{label} (errors)")
    assert not failures, json.dumps(failures, indent=1)
    stale = set(WAGTAIL_MARKUP) - seen
    assert not stale, f"allow-list entries no screen needs any more (remove them): {sorted(stale)}"
