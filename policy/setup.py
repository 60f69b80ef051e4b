"""Make sure the policy hub's structure exists (the same as migration 0002 does), with real models.

Used by the demo loader and tests; safe to run again.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from trust.site_home import home_page

from .models import GuidanceIndexPage, PolicyIndexPage, SecondApproverTask

WORKFLOW_NAME = "Policy approval"
TASK_NAME = "Executive head approval"
APPROVERS_GROUP = "Policy approvers"  # a second approver beside the executive head (migration 0005)
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def ensure_structure():
    home = home_page()
    policies = PolicyIndexPage.objects.first() or home.add_child(
        instance=PolicyIndexPage(title="Policies", slug="policies")
    )
    guidance = GuidanceIndexPage.objects.first() or home.add_child(
        instance=GuidanceIndexPage(title="DfE guidance", slug="guidance")
    )
    head, _ = Group.objects.get_or_create(name="Executive head")
    approvers, _ = Group.objects.get_or_create(name=APPROVERS_GROUP)
    for codename in PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        for index in (policies, guidance):
            for group in (head, approvers):  # approving the last task publishes, so approvers may publish
                GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
    task = SecondApproverTask.objects.filter(name=TASK_NAME).first() or SecondApproverTask.objects.create(name=TASK_NAME)
    task.groups.add(head, approvers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for index in (policies, guidance):
        WorkflowPage.objects.update_or_create(page=Page.objects.get(pk=index.pk), defaults={"workflow": workflow})
    return policies, guidance
