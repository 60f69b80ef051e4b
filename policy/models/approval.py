"""Policy approval with a second pair of eyes (issue 17).

The person who submitted a change may not approve it while another active person holds the approver
role (is in one of the task's groups). When the submitter is the only active approver, the trust
administrator may allow self-approval (Settings → Policy approval); the approval then says so in the
page's history.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import AbstractGroupApprovalTask

SELF_APPROVAL_NOTE = "Approved by the submitter: only approver."
AWAITING_ANOTHER_APPROVER = (
    "You submitted this change, so another approver must approve it. It is waiting for them."
)
NO_OTHER_APPROVER = (
    "You submitted this change and nobody else can approve it. Ask the trust administrator to add a second "
    "approver, or to allow the only approver to approve their own change (Settings, Policy approval)."
)


@register_setting(icon="tasks")
class PolicyApprovalSettings(BaseGenericSetting):
    """Kept by the trust administrator, not the approvers: the person checked does not switch off the check."""

    allow_self_approval_when_only_approver = models.BooleanField(
        default=False,
        verbose_name="Let the only approver approve their own change",
        help_text="Only when nobody else active holds the approver role. The page's history then says "
        "that the submitter approved it as the only approver.",
    )

    panels = [FieldPanel("allow_self_approval_when_only_approver")]

    class Meta:
        verbose_name = "Policy approval"


class SecondApproverTask(AbstractGroupApprovalTask):
    """A group approval task the submitter cannot approve while someone else can."""

    def approvers(self):
        """Active people in this task's groups."""
        return get_user_model().objects.filter(is_active=True, groups__in=self.groups.all()).distinct()

    def refusal_for(self, submitter_id, user):
        """Why `user` may not approve a change submitted by `submitter_id`, or None when they may."""
        if submitter_id is None or submitter_id != user.pk:
            return None
        if self.approvers().exclude(pk=user.pk).exists():
            return AWAITING_ANOTHER_APPROVER
        if not PolicyApprovalSettings.load().allow_self_approval_when_only_approver:
            return NO_OTHER_APPROVER
        return None

    def notice_for(self, obj, user):
        """What an approver who submitted `obj`'s change is told instead of being offered to approve it."""
        if not (user.is_superuser or self._user_in_groups(user)):
            return None
        return self.refusal_for(_submitter_id(obj), user)

    def get_actions(self, obj, user):
        if self.notice_for(obj, user):
            return []  # the submitter sees the change waiting for someone else, with no approve button
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            submitter_id = task_state.workflow_state.requested_by_id
            if self.refusal_for(submitter_id, user):
                raise PermissionDenied  # refused on the server, whatever the page shows
            if submitter_id == user.pk:
                comment = kwargs.get("comment", "")
                kwargs["comment"] = f"{SELF_APPROVAL_NOTE} {comment}".strip()
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if self.refusal_for(user.pk, user):
            states = states.exclude(workflow_state__requested_by=user)
        return states

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups approve; the person who submitted a change cannot, while another can."

    class Meta:
        verbose_name = "Group approval task with a second approver"
        verbose_name_plural = "Group approval tasks with a second approver"


def _submitter_id(obj):
    state = getattr(obj, "current_workflow_state", None)
    if state is None or state.status != state.STATUS_IN_PROGRESS:
        return None
    return state.requested_by_id



