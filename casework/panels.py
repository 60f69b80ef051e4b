"""Dashboard panels (home's `portal_dashboard_panels` hook)."""

from django.conf import settings
from django.utils import timezone

from trust.panels import DashboardPanel
from trust.personal_pages import kept_for_casework

from .models import SharedRecommendation
from .permissions import is_designated_teacher


def _who_may_have_casework(request) -> tuple[frozenset, frozenset] | None:
    """(ids of people with a share not withdrawn, ids of people with a delegation not withdrawn or ended), the same
    for everyone: most people have neither, and their dashboard then asks nothing of casework.

    A superset of who has one in force (the children who left and the memberships are the queries' to check, for
    the people in it), so it depends only on the casework records and the day (`kept_for_casework`). None without
    a shared cache: then each panel asks.
    """
    if not getattr(settings, "PERSONAL_PAGE_CACHE", False) or not request.user.is_authenticated:
        return None
    from .models import Delegation

    def build():
        return (
            frozenset(
                SharedRecommendation.objects.filter(withdrawn_at__isnull=True).values_list("shared_with_id", flat=True)
            ),
            frozenset(
                Delegation.objects.filter(withdrawn_at__isnull=True, ends_on__gte=timezone.localdate()).values_list(
                    "delegate_id", flat=True
                )
            ),
        )

    return kept_for_casework("casework.panels.who_may_have_casework", build)


def shared_recommendations_panel(request):
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    who = _who_may_have_casework(request)
    if who is not None and user.pk not in who[0]:
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
    who = _who_may_have_casework(request)
    if who is not None and user.pk not in who[1]:
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
