"""The access log: who read or changed a child's records. The designated teacher sees their own children's,
by name; the data protection officer every child's, by record number (casework.permissions).
"""


from django.db.models import Count
from django.http import Http404
from django.shortcuts import render

from trust.access import own_school_ids

from . import audit
from .enums import AuditAction
from .models import CaseAuditEvent, Child
from .permissions import (
    can_export_subject_access,
    can_open_access_log,
    can_view_access_log,
    is_data_protection_officer,
)
from .view_guards import no_store


def access_log_index(request):
    """Children whose access log the person may read: the DT's own (named), or every child by id for the DPO."""
    if not can_open_access_log(request.user):
        raise Http404
    dpo = is_data_protection_officer(request.user)
    own = own_school_ids(request.user)
    children = Child.objects.select_related("school")
    if not dpo:
        children = children.filter(school_id__in=own)
    counts = dict(
        CaseAuditEvent.objects.filter(child_id__in=children.values("pk"))
        .values_list("child_id")
        .annotate(n=Count("id"))
        .values_list("child_id", "n")
    )
    rows = [
        {"child": c, "named": c.school_id in own, "events": counts.get(c.pk, 0)}
        for c in children.order_by("school__name", "pk")
    ]
    audit.record(request, AuditAction.LIST, detail="access log index")
    return no_store(render(request, "casework/access_log_index.html", {"rows": rows}))


def access_log(request, pk):
    child = Child.objects.filter(pk=pk).select_related("school").first()
    if child is None or not can_view_access_log(request.user, child):
        raise Http404
    shows_name = child.school_id in own_school_ids(request.user)
    events = CaseAuditEvent.objects.filter(child_id=child.pk).order_by("-occurred_at")[:500]
    audit.record(request, AuditAction.READ, child, detail="access log")
    return no_store(
        render(
            request,
            "casework/access_log.html",
            {
                "child": child,
                "shows_name": shows_name,
                "events": events,
                "can_export": can_export_subject_access(request.user, child),
            },
        )
    )
