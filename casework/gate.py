"""The casework gate: a designated teacher must have acknowledged the current Children in Care policy.

The policy app is imported lazily so casework never depends on it at import time. If the policy app
(or its models) is not there, or no Children in Care policy is published, the gate is open.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q


@dataclass
class GateClosed:
    title: str
    url: str
    version: int | None


def children_in_care_policy():
    """The live Children in Care policy page, or None."""
    try:
        from policy.models import PolicyPage
    except ImportError:
        return None
    slug = getattr(settings, "CASEWORK_GATE_POLICY_SLUG", "children-in-care")
    return (
        PolicyPage.objects.live()
        .filter(Q(slug__startswith=slug) | Q(title__icontains="children in care"))
        .order_by("-last_published_at")
        .first()
    )


def gate_for(user) -> GateClosed | None:
    """None when the person may go on; otherwise what they must acknowledge first."""
    page = children_in_care_policy()
    if page is None:
        return None
    try:
        from policy.audience import status_for
    except ImportError:
        return None
    status = status_for(user, page)
    if not status.outstanding:
        return None
    return GateClosed(title=page.title, url=page.url or f"/policies/{page.slug}/", version=status.version_number)
