"""Publishing through the Wagtail editor: whoever submits a change must say whether it is material, and a
second approver publishes it (issue 17)."""

import pytest
from wagtail.models import GroupPagePermission, TaskState, WorkflowPage
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from conftest import sign_in
from policy.models import PolicyIndexPage, PolicyVersion
from policy.versions import current_version

pytestmark = pytest.mark.django_db


def edit_form(client, page):
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    # StreamFields are drawn by JavaScript: post their values as the editor would.
    streams = nested_form_data(
        {
            "body": streamfield([("heading", "Aim"), ("paragraph", rich_text("<p>Our aim is unchanged.</p>"))]),
            "comprehension_check": streamfield([]),
        }
    )
    for key, value in streams.items():
        data[key] = value
    # A ticked checkbox without a value attribute is read back as "": post what a browser sends.
    for name in ("applies_to_all_schools", "acknowledgement_required"):
        if name in data:
            data[name] = "on"
    return data


def test_the_executive_head_may_add_edit_and_publish_under_the_policy_index(policy, personas):
    index = PolicyIndexPage.objects.get()
    codenames = set(
        GroupPagePermission.objects.filter(group__name="Executive head", page=index).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "publish_page"}
    assert policy.permissions_for_user(personas.head).can_publish()
    assert not policy.permissions_for_user(personas.staff).can_edit()


def test_the_policy_approval_workflow_belongs_to_the_policy_index_and_the_executive_head_approves():
    index = PolicyIndexPage.objects.get()
    workflow = WorkflowPage.objects.get(page=index).workflow
    task = workflow.tasks.get().specific
    assert workflow.name == "Policy approval"
    # the "Policy approvers" group is the second approver beside the head (issue 17)
    assert set(task.groups.values_list("name", flat=True)) == {"Executive head", "Policy approvers"}


def test_submitting_without_saying_whether_the_change_is_material_is_refused(client, policy, personas):
    sign_in(client, personas.head)
    data = edit_form(client, policy)
    data["title"] = "Children in Care policy (revised)"
    data["action-submit"] = "action-submit"
    response = client.post(f"/admin/pages/{policy.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say whether this is a material change or a minor correction." in html
    assert "Describe what changed, in a sentence or two." in html
    assert "Children in Care policy (revised)" in html  # what was typed is kept
    assert PolicyVersion.objects.filter(page_id=policy.pk).count() == 1


@pytest.mark.parametrize(("material", "number"), [("True", 2), ("False", 1)])
def test_the_submitter_chooses_material_or_minor_in_the_editor_and_the_approver_publishes_it(
    client, policy, personas, approver, material, number
):
    sign_in(client, personas.head)
    data = edit_form(client, policy)
    data["change_is_material"] = material
    data["change_summary"] = "Clarified the PEP deadline."
    data["action-submit"] = "action-submit"
    response = client.post(f"/admin/pages/{policy.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert current_version(type(policy).objects.get(pk=policy.pk)).change_summary != "Clarified the PEP deadline."
    task_state = TaskState.objects.get(status="in_progress")
    sign_in(client, approver)
    response = client.post(f"/admin/pages/workflow/action/{policy.pk}/approve/{task_state.pk}/", {"comment": ""})
    assert response.status_code == 302
    version = current_version(type(policy).objects.get(pk=policy.pk))
    assert (version.number, version.change_summary, version.published_by) == (
        number,
        "Clarified the PEP deadline.",
        approver,
    )


def test_the_material_question_starts_unanswered_each_time(client, checked_policy, personas):
    sign_in(client, personas.head)
    data = edit_form(client, checked_policy)
    assert "change_is_material" not in data
    assert data.get("change_summary", "").strip() == ""


def test_choosing_no_school_is_refused_next_to_the_field(client, policy, personas):
    sign_in(client, personas.head)
    data = edit_form(client, policy)
    data.pop("applies_to_all_schools", None)
    data.setlist("schools", [])
    response = client.post(f"/admin/pages/{policy.pk}/edit/", data)
    assert "Choose the schools it applies to" in response.content.decode()


def test_the_executive_head_can_open_the_new_policy_and_guidance_forms(client, personas):
    from policy.models import GuidanceIndexPage

    sign_in(client, personas.head)
    policies, guidance = PolicyIndexPage.objects.get(), GuidanceIndexPage.objects.get()
    assert client.get(f"/admin/pages/add/policy/policypage/{policies.pk}/").status_code == 200
    assert client.get(f"/admin/pages/add/policy/guidancepage/{guidance.pk}/").status_code == 200
