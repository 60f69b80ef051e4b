"""Publishing the head can trust (issue 17): the person who submitted a policy change cannot approve it
while someone else can; the trust administrator's setting lets an only approver approve, noted in history."""

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import GroupApprovalTask, TaskState, Workflow

from conftest import sign_in
from policy.models import PolicyApprovalSettings, PolicyPage, SecondApproverTask
from policy.versions import current_version

pytestmark = pytest.mark.django_db

NEW_WORDS = [{"type": "paragraph", "value": "<p>Second pair of eyes wording.</p>"}]


def _submit(policy, user):
    """What "Submit to Policy approval" does in the editor: a material change, in moderation."""
    page = PolicyPage.objects.get(pk=policy.pk)
    page.body = NEW_WORDS
    page.change_is_material = True
    page.change_summary = "Second approver wording."
    page.save_revision(user=user)
    return page.get_workflow().start(page, user).current_task_state


def _approve(client, user, policy, task_state, comment="", **headers):
    sign_in(client, user)
    return client.post(
        f"/admin/pages/workflow/action/{policy.pk}/approve/{task_state.pk}/", {"comment": comment}, headers=headers
    )


def _refused(client, user, policy, task_state):
    """The approve POST is refused as the admin refuses anything: 403 from the modal, else back to the dashboard."""
    assert _approve(client, user, policy, task_state, **{"X-Requested-With": "XMLHttpRequest"}).status_code == 403
    response = _approve(client, user, policy, task_state)
    assert response.status_code == 302 and response.url == "/admin/"
    assert "Sorry, you do not have permission" in client.get(response.url).content.decode()
    assert TaskState.objects.get(pk=task_state.pk).status == "in_progress"
    assert current_version(PolicyPage.objects.get(pk=policy.pk)).number == 1
    return True


def _allow_self_approval(allowed):
    settings = PolicyApprovalSettings.load()
    settings.allow_self_approval_when_only_approver = allowed
    settings.save()


def test_the_policy_workflow_uses_the_second_approver_task():
    task = Workflow.objects.get(name="Policy approval").tasks.get().specific
    assert isinstance(task, SecondApproverTask)
    assert set(task.groups.values_list("name", flat=True)) == {"Executive head", "Policy approvers"}
    # the task it replaced on existing installs is kept for its history, switched off
    old = GroupApprovalTask.objects.get(name__startswith="Executive head approval")
    assert (old.name, old.active) == ("Executive head approval (before second approvers)", False)


def test_the_submitter_cannot_approve_their_own_change_when_another_approver_exists(client, policy, personas, approver):
    task_state = _submit(policy, personas.head)
    assert _refused(client, personas.head, policy, task_state)
    assert "Second pair of eyes" not in client.get(policy.url).content.decode()


def test_the_task_itself_refuses_the_submitters_approval_whatever_the_page_offered(policy, personas, approver):
    task_state = _submit(policy, personas.head)
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, personas.head, "approve")
    assert TaskState.objects.get(pk=task_state.pk).status == "in_progress"


def test_the_submitter_sees_the_change_waiting_for_someone_else_with_no_approve_button(client, policy, personas, approver):
    _submit(policy, personas.head)
    sign_in(client, personas.head)
    html = client.get(f"/admin/pages/{policy.pk}/edit/").content.decode()
    assert "You submitted this change, so another approver must approve it. It is waiting for them." in html
    assert 'data-workflow-action-name="approve"' not in html
    assert not TaskState.objects.reviewable_by(personas.head).exists()


def test_a_second_approver_sees_it_awaiting_review_and_approves_it(client, policy, personas, approver):
    task_state = _submit(policy, personas.head)
    assert list(TaskState.objects.reviewable_by(approver)) == [task_state]
    sign_in(client, approver)
    edit = client.get(f"/admin/pages/{policy.pk}/edit/").content.decode()
    assert 'data-workflow-action-name="approve"' in edit
    response = _approve(client, approver, policy, task_state)
    assert response.status_code == 302
    version = current_version(PolicyPage.objects.get(pk=policy.pk))
    assert (version.number, version.published_by) == (2, approver)
    assert "Second pair of eyes wording." in client.get(policy.url).content.decode()
    assert TaskState.objects.get(pk=task_state.pk).comment == ""  # nothing said about self-approval


def test_with_the_setting_on_the_only_approver_approves_their_own_change_and_history_says_so(client, policy, personas, approver):
    approver.is_active = False  # a deactivated approver does not count
    approver.save()
    _allow_self_approval(True)
    task_state = _submit(policy, personas.head)
    response = _approve(client, personas.head, policy, task_state, comment="Governors agreed on 1 December.")
    assert response.status_code == 302
    assert current_version(PolicyPage.objects.get(pk=policy.pk)).number == 2
    assert TaskState.objects.get(pk=task_state.pk).comment == (
        "Approved by the submitter: only approver. Governors agreed on 1 December."
    )
    history = client.get(f"/admin/pages/{policy.pk}/history/").content.decode()
    assert "Approved by the submitter: only approver." in history


def test_with_the_setting_on_the_submitter_still_cannot_approve_while_another_approver_is_active(client, policy, personas, approver):
    _allow_self_approval(True)
    task_state = _submit(policy, personas.head)
    assert _refused(client, personas.head, policy, task_state)


def test_with_the_setting_off_the_only_approver_is_refused_and_told_what_to_do(client, policy, personas):
    task_state = _submit(policy, personas.head)
    assert _refused(client, personas.head, policy, task_state)
    html = client.get(f"/admin/pages/{policy.pk}/edit/").content.decode()
    assert "You submitted this change and nobody else can approve it." in html


def test_the_self_approval_setting_is_the_trust_administrators_not_the_approvers(client, personas):
    assert personas.admin.has_perm("policy.change_policyapprovalsettings")
    assert not personas.head.has_perm("policy.change_policyapprovalsettings")
    sign_in(client, personas.admin)
    form = client.get("/admin/settings/policy/policyapprovalsettings/", follow=True)
    assert "Let the only approver approve their own change" in form.content.decode()
    response = client.post(form.redirect_chain[-1][0], {"allow_self_approval_when_only_approver": "on"})
    assert response.status_code == 302
    assert PolicyApprovalSettings.load().allow_self_approval_when_only_approver
