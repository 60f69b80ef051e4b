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


# --- Dashboards: the admin's home page and the portal's own dashboard -----------------------------
from wagtail.admin.ui.components import Component  # noqa: E402

from home.panels import DashboardPanel  # noqa: E402


def _briefing_summary(user):
    from .briefing import build_summary
    from .briefing_access import briefing_school_ids, can_see_briefing

    if not can_see_briefing(user):
        return None
    return {"totals": build_summary(briefing_school_ids(user))}


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
    from .audience import required_modules_for
    from .models import TrainingCompletion

    modules = list(required_modules_for(request.user).order_by("path"))
    if not modules:
        return None
    done = set(TrainingCompletion.objects.filter(user=request.user, page__in=modules).values_list("page_id", flat=True))
    todo = [m for m in modules if m.pk not in done]
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
