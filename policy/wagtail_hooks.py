"""Registration only: the dashboard panel, the admin review panel, log actions, delete protection, policy import."""


from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from trust.access import has_role
from trust.enums import Role
from trust.panels import DashboardPanel

from . import publish_gate
from .audience import statuses_for
from .models import PolicyVersion, SecondApproverTask
from .models.approval import SELF_APPROVAL_NOTE
from .reviews import pages_due_for_review


@hooks.register("portal_dashboard_panels")
def policy_dashboard_panel(request):
    statuses = [s for s in statuses_for(request.user) if s.required]
    if not statuses:
        return None
    outstanding = sorted((s for s in statuses if s.outstanding), key=lambda s: (s.due_on, s.page.title))
    acknowledged = [s for s in statuses if s.receipt]
    return DashboardPanel(
        title="Policies and guidance to read",
        template_name="policy/panels/dashboard.html",
        context={"outstanding": outstanding, "acknowledged": acknowledged},
        order=10,
    )


class ReviewPanel(Component):
    name = "policy_review"
    template_name = "policy/admin/review_panel.html"
    order = 150

    def __init__(self, pages):
        self.pages = pages

    def get_context_data(self, parent_context):
        return {"pages": self.pages, "today": timezone.localdate()}


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    if not _can_edit_policies(request.user):
        return
    pages = pages_due_for_review()
    if pages:
        panels.append(ReviewPanel(pages))


def _can_edit_policies(user):
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return PagePermissionPolicy().user_has_any_permission(user, ["change", "publish"])


@hooks.register("register_log_actions")
def register_policy_log_actions(actions):
    actions.register_action("policy.version_recorded", "Record policy version", "Recorded a policy version")
    actions.register_action("policy.acknowledged", "Acknowledge", "Acknowledged")
    actions.register_action("policy.acknowledged_on_paper", "Record paper acknowledgement", "Recorded a paper acknowledgement")
    actions.register_action("policy.imported", "Import policy", "Imported a policy as a draft")
    actions.register_action(publish_gate.ONLY_APPROVER_ACTION, "Publish as the only approver", SELF_APPROVAL_NOTE)


def _has_versions(pages) -> bool:
    from wagtail.models import Page

    ids = set()
    for page in pages:
        ids |= set(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    return PolicyVersion.objects.filter(page_id__in=ids).exists()


def _refuse(request, what, fallback):
    messages.error(
        request,
        f"{what} has published versions and read receipts, which are kept as evidence. "
        "Unpublish it instead of deleting it.",
    )
    return redirect(fallback)


@hooks.register("before_delete_page")
def refuse_deleting_policies_with_versions(request, page):
    if _has_versions([page]):
        return _refuse(request, f"“{page.get_admin_display_title()}”", reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_policies_with_versions(request, action_type, objects, action_class_instance):
    from wagtail.models import Page

    if action_type == "delete" and objects and isinstance(objects[0], Page) and _has_versions(objects):
        return _refuse(request, "A chosen page", reverse("wagtailadmin_explore", args=[objects[0].get_parent().pk]))
    return None


@hooks.register("after_publish_page")
def note_publishing_as_only_approver(request, page):
    # The version and who published it are recorded by trust (trust/page_versions.py).
    if publish_gate.publishes_as_only_approver(page, request.user):
        publish_gate.note_only_approver(page, request.user)


class TrustAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.TRUST_ADMIN)


@hooks.register("register_admin_menu_item")
def register_paper_acknowledgement_menu_item():
    return TrustAdminMenuItem(
        "Paper acknowledgement", reverse("policy_record_on_paper"), icon_name="doc-full", order=9100
    )


class PolicyImportMenuItem(MenuItem):
    def is_shown(self, request):
        from .import_views import policy_index_for

        return policy_index_for(request.user) is not None


@hooks.register("register_admin_urls")
def register_policy_import_urls():
    from .import_views import create, upload

    return [
        path("policies/import/", upload, name="policy_import"),
        path("policies/import/create/", create, name="policy_import_create"),
    ]


@hooks.register("register_admin_menu_item")
def register_policy_import_menu_item():
    return PolicyImportMenuItem("Import a policy", reverse("policy_import"), icon_name="upload", order=9050)


@hooks.register("before_edit_page")
def tell_the_submitter_who_approves(request, page):
    """An approver who submitted the change sees why there is no approve button (issue 17)."""
    task = page.current_workflow_task if request.method == "GET" else None
    if isinstance(task, SecondApproverTask) and (notice := task.notice_for(page, request.user)):
        messages.info(request, notice)


@hooks.register("before_edit_page")
def refuse_publishing_round_the_approver(request, page):
    if request.method == "POST" and request.POST.get("action-publish") and publish_gate.publish_is_gated(page, request.user):
        return publish_gate.refuse(request, reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return None


@hooks.register("before_create_page")
def refuse_creating_published_round_the_approver(request, parent_page, page_class):
    if (
        request.method == "POST"
        and request.POST.get("action-publish")
        and publish_gate.publish_is_gated(parent_page, request.user)
    ):
        meta = page_class._meta
        return publish_gate.refuse(
            request, reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, parent_page.pk])
        )
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_round_the_approver(request, action_type, objects, action_class_instance):
    from wagtail.models import Page

    if action_type != "publish" or not objects or not isinstance(objects[0], Page):
        return None
    pages = list(objects)
    if action_class_instance.cleaned_form.cleaned_data.get("include_descendants"):
        pages += [descendant for page in objects for descendant in page.get_descendants().not_live()]
    if any(publish_gate.publish_is_gated(page, request.user) for page in pages):
        return publish_gate.refuse(request, reverse("wagtailadmin_explore", args=[objects[0].get_parent().pk]))
    return None


@hooks.register("after_bulk_action")
def note_bulk_publishing_as_only_approver(request, action_type, objects, action_class_instance):
    from wagtail.models import Page

    if action_type == "publish" and objects and isinstance(objects[0], Page):
        for page in objects:
            if publish_gate.publishes_as_only_approver(page, request.user):
                publish_gate.note_only_approver(page, request.user)


@hooks.register("construct_page_action_menu")
def hide_publish_round_the_approver(menu_items, request, context):
    page = context.get("page") or context.get("parent_page")
    if page is not None and page.pk and publish_gate.publish_is_gated(page, request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_copy_page")
def refuse_publishing_copies_round_the_approver(request, page):
    from wagtail.models import Page

    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    parent_id = request.POST.get("new_parent_page", "")
    parent = Page.objects.filter(pk=parent_id).first() if parent_id.isascii() and parent_id.isdigit() and len(parent_id) < 10 else None
    if publish_gate.publish_is_gated(parent or page.get_parent(), request.user):
        return publish_gate.refuse(request, reverse("wagtailadmin_pages:copy", args=[page.pk]))
    return None
