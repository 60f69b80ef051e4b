"""No direct publishing round the second approver (issue 17).

People who may publish policy and guidance pages could press "Publish" instead of submitting the change
for approval. On pages under a workflow with a second-approver task, the editor's and the bulk action's
publish are refused unless self-approval applies (the person is the only active approver and the trust
allowed it). The workflow's own approval publishes through the task, not through these paths.
"""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail.log_actions import log

from .models import SecondApproverTask

ONLY_APPROVER_ACTION = "policy.published_as_only_approver"
REFUSAL = "Children in Care policy changes are approved by a second person: submit it for approval."


def second_approver_tasks(page):
    """The active second-approver tasks of the workflow that governs `page` (a page or a parent page)."""
    workflow = page.get_workflow()
    if workflow is None:
        return []
    return [task for task in SecondApproverTask.objects.filter(workflow_tasks__workflow=workflow, active=True)]


def publish_is_gated(page, user):
    """Whether `user` must submit changes to `page` for approval instead of publishing them directly."""
    return any(task.refusal_for(user.pk, user) for task in second_approver_tasks(page))


def publishes_as_only_approver(page, user):
    """Whether a direct publish by `user` is allowed only because they are the sole approver."""
    tasks = second_approver_tasks(page)
    return bool(tasks) and not any(task.refusal_for(user.pk, user) for task in tasks)


def refuse(request, fallback_url):
    messages.error(request, REFUSAL)
    return redirect(fallback_url)


def note_only_approver(page, user):
    """The page's history says the only approver published their own change, as the task's approval does."""
    log(instance=page, action=ONLY_APPROVER_ACTION, user=user)
