"""Dashboard panels (home's `portal_dashboard_panels` hook)."""

from trust.panels import DashboardPanel

from .models import SharedRecommendation
from .permissions import is_designated_teacher


def shared_recommendations_panel(request):
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    shares = list(
        SharedRecommendation.objects.active()
        .filter(shared_with=user)
        .select_related("pep__child")
        .order_by("-shared_at")
    )
    if not shares:
        return None
    items = [
        {
            "pk": s.pk,
            "name": s.pep.child.preferred_name or s.pep.child.legal_first_name,
            "recommendation": s.recommendation,
            "acknowledged_at": s.acknowledged_at,
        }
        for s in shares
    ]
    return DashboardPanel(
        title="Recommendations shared with you",
        template_name="casework/panels/shared_recommendations.html",
        context={"items": items},
        order=30,
    )


def designated_teacher_panel(request):
    if not is_designated_teacher(request.user):
        return None
    from .child_views import casework_rows
    from .deadlines import RECORD_DATES

    rows, _ = casework_rows(request.user)
    # A date that looks wrong is named here (by record number, as on the calendar export), not just counted.
    wrong_dates = [
        {"pk": r["child"].pk, "problems": d.flags} for r in rows for d in r["deadlines"] if d.kind == RECORD_DATES
    ]
    return DashboardPanel(
        title="Casework",
        template_name="casework/panels/designated_teacher.html",
        context={"children": len(rows), "flagged": sum(1 for r in rows if r["flags"]), "wrong_dates": wrong_dates},
        order=20,
    )


def delegate_panel(request):
    """A link for staff a designated teacher has delegated entry to (one query: do they have any?)."""
    from .models import Delegation

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    count = Delegation.objects.of_delegate(user).count()
    if not count:
        return None
    return DashboardPanel(
        title="Casework you help with",
        template_name="casework/panels/delegate.html",
        context={"count": count},
        order=25,
    )
