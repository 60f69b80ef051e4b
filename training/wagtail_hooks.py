import copy

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import ReminderRun


class ReminderRunViewSet(ModelViewSet):
    """Each reminder run's figures, read-only (the executive head and trust administrators may view)."""

    model = ReminderRun
    icon = "mail"
    menu_label = "Reminder runs"
    add_to_settings_menu = True
    list_display = [
        "started_at",
        "triggered_by",
        "people_outstanding",
        "reminders_sent",
        "people_escalated",
        "escalations_sent",
        "skipped_reason",
    ]
    list_filter = ["triggered_by"]
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list = []


@hooks.register("register_admin_viewset")
def register_reminder_runs():
    return ReminderRunViewSet("reminder-runs")


@hooks.register("register_log_actions")
def register_training_log_actions(actions):
    actions.register_action("training.complete", "Complete training", "Completed a training module")
    actions.register_action(
        "training.certificate_download", "Download certificate", "Downloaded a Local Authority training certificate"
    )
    actions.register_action("training.reminders_sent", "Send reminders", "Sent briefing reminders")
    actions.register_action("training.briefing_export", "Export briefing", "Exported the briefing report")
    actions.register_action("training.register_export", "Export evidence register", "Exported an evidence register")
    actions.register_action(
        "training.annual_report", "Download annual report", "Downloaded the designated teacher's annual report"
    )
    actions.register_action(
        "training.version_recorded", "Record training version", "Recorded a training module version"
    )


def _modules_within(pages) -> set[int]:
    from wagtail.models import Page

    from .models import TrainingModulePage

    ids: set[int] = set()
    for page in pages:
        ids |= set(
            Page.objects.descendant_of(page, inclusive=True).type(TrainingModulePage).values_list("pk", flat=True)
        )
    return ids


def _keep_training_evidence(request, pages, fallback):
    """Modules someone has tried or completed are kept as evidence (refused with a message, not an error);
    others may be deleted, with their publication records, once the deletion is confirmed."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .models import TrainingAttempt, TrainingCompletion, TrainingVersion

    ids = _modules_within(pages)
    if not ids:
        return None
    if TrainingCompletion.objects.filter(page_id__in=ids).exists() or TrainingAttempt.objects.filter(
        page_id__in=ids
    ).exists():
        messages.error(
            request,
            "Training that people have completed or attempted is kept as evidence. Unpublish it instead of deleting it.",
        )
        return redirect(fallback)
    if request.method == "POST":
        TrainingVersion.objects.filter(page_id__in=ids).delete()
    return None


@hooks.register("before_delete_page")
def keep_training_evidence(request, page):
    from django.urls import reverse

    return _keep_training_evidence(request, [page], reverse("wagtailadmin_pages:edit", args=[page.pk]))


@hooks.register("before_bulk_action")
def keep_training_evidence_in_bulk(request, action_type, objects, action_class_instance):
    from django.urls import reverse
    from wagtail.models import Page

    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    return _keep_training_evidence(request, objects, reverse("wagtailadmin_explore", args=[objects[0].get_parent().pk]))


# --- Dashboards: the admin's home page and the portal's own dashboard -----------------------------
from wagtail.admin.ui.components import Component  # noqa: E402

from trust.panels import DashboardPanel  # noqa: E402


def _briefing_summary(user):
    from .briefing_access import briefing_school_ids, can_see_briefing

    if not can_see_briefing(user):
        return None
    from .briefing_cache import summary

    return {"totals": summary(briefing_school_ids(user))}


class BriefingSummaryPanel(Component):
    name = "briefing_summary"
    order = 150
    template_name = "training/admin/briefing_panel.html"

    def __init__(self, summary):
        self.summary = summary

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(self.summary)
        return context


@hooks.register("construct_homepage_panels")
def add_briefing_summary_panel(request, panels):
    summary = _briefing_summary(request.user)
    if summary is not None:
        panels.append(BriefingSummaryPanel(summary))


@hooks.register("portal_dashboard_panels")
def briefing_dashboard_panel(request):
    summary = _briefing_summary(request.user)
    if summary is None:
        return None
    return DashboardPanel("Briefing completion", "training/panels/briefing.html", summary, order=60)


@hooks.register("portal_dashboard_panels")
def training_dashboard_panel(request):
    from .audience import required_modules_list
    from .versions import progress_for

    modules = required_modules_list(request.user)
    if not modules:
        return None
    progress = progress_for(request.user, modules)
    done = {pk for pk, entry in progress.items() if entry.done}
    todo = []
    for module in modules:
        if module.pk not in done:
            module = copy.copy(module)  # the module is shared by everyone (kept for the content): not this person's
            module.progress = progress[module.pk]
            todo.append(module)
    return DashboardPanel(
        "Your training", "training/panels/training.html", {"todo": todo, "done_count": len(done)}, order=40
    )


@hooks.register("portal_dashboard_panels")
def la_training_dashboard_panel(request):
    """Designated teachers and trust administrators: who is due Local Authority training."""
    from .la_flags import designated_teacher_training
    from .permissions import can_keep_la_training, la_schools_kept_by

    if not can_keep_la_training(request.user):
        return None
    due = [row for row in designated_teacher_training(la_schools_kept_by(request.user)) if row.due]
    if not due:
        return None
    return DashboardPanel("Local Authority training due", "training/panels/la_training.html", {"due": due}, order=70)
