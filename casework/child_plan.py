"""What the child's page and the PEP's PDF show of the plan: the current PEP in full, the child's other plans,
reviews, activities, documents, placements and the people around the child, in a fixed number of queries."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .models import (
    Activity,
    CaseDocument,
    LinkedPlan,
    PEPStatusChange,
    Placement,
    SharedRecommendation,
    Target,
    TargetProgress,
)


def child_page_url(child_id, pep_id=None) -> str:
    """The child's page; with a PEP, that PEP's plan on it (`?pep=`), where the person carries on."""
    url = reverse("casework:child", args=[child_id])
    return f"{url}?{urlencode({'pep': pep_id})}#plan" if pep_id else url


def current_pep(peps, today=None):
    """The PEP whose period covers today; else the newest (the list is newest first)."""
    today = today or timezone.localdate()
    for pep in peps:
        if pep.period_starts_on <= today <= pep.period_ends_on:
            return pep
    return peps[0] if peps else None


def pep_parts():
    """The prefetches for what the plan shows of each PEP (its targets are prefetched by the caller)."""
    return [
        Prefetch("targets__progress_notes", queryset=TargetProgress.objects.order_by("noted_on", "pk")),
        Prefetch("targets__activities", queryset=Activity.objects.order_by("starts_on", "pk")),
        Prefetch(
            "shared_recommendations",
            queryset=SharedRecommendation.objects.select_related("shared_with").order_by("shared_at", "pk"),
        ),
        "previous_target_evaluations",  # the page lists them and links to evaluate them
        Prefetch(
            "status_changes", queryset=PEPStatusChange.objects.select_related("changed_by").order_by("changed_at", "pk")
        ),
    ]


def pep_in_full(pep_queryset):
    """A PEP queryset with everything the plan shows of each PEP, prefetched."""
    targets = Prefetch("targets", queryset=Target.objects.order_by("by_when", "pk"))
    return pep_queryset.select_related("signed_off_by").prefetch_related(targets, *pep_parts())


def people_around(child, placements):
    """Each person around the child with their contact details; `None` details when not recorded."""
    placement = next((p for p in placements if p.is_current), None)
    authority = child.responsible_authority
    return [
        {
            "role": "Social worker",
            "name": child.social_worker_name,
            "email": child.social_worker_email,
            "phone": child.social_worker_phone,
        },
        {
            "role": "Independent reviewing officer (IRO)",
            "name": child.iro_name,
            "email": child.iro_email,
            "phone": child.iro_phone,
        },
        {
            "role": "Carer",
            "name": placement.carer_name if placement else "",
            "email": placement.carer_email if placement else "",
            "phone": placement.carer_phone if placement else "",
        },
        {"role": "SENCO", "name": child.senco_name, "email": child.senco_email, "phone": child.senco_phone},
        {
            "role": "Virtual school head",
            "name": authority.virtual_school_head if authority else "",
            "email": authority.virtual_school_email if authority else "",
            "phone": authority.virtual_school_phone if authority else "",
        },
    ]


def plan_of(child, peps, today=None):
    """The rest of the plan around the child's PEPs (already loaded, newest first): one query per list."""
    placements = list(Placement.objects.filter(child=child).order_by("-starts_on", "-pk"))
    documents = list(CaseDocument.objects.filter(child=child).order_by("-uploaded_at", "-pk"))
    for document in documents:
        document.child = child  # each document's retention date reads the child's date of birth
    return {
        "current_pep": current_pep(peps, today),
        "linked_plans": list(LinkedPlan.objects.filter(child=child).select_related("document").order_by("-dated")),
        # Reviews: the child page's are prefetched already (the deadlines use them).
        "reviews": sorted(child.reviews.all(), key=lambda r: (r.held_on, r.pk), reverse=True),
        "activities": list(Activity.objects.filter(child=child).select_related("target").order_by("-starts_on")),
        "documents": documents,
        "placements": placements,
        "placement_moves": max(len(placements) - 1, 0),
        "people": people_around(child, placements),
    }


def pep_pdf_context(pep):
    """Everything the child's page shows of one PEP, for its PDF."""
    child = pep.child
    return {"pep": pep, "child": child, **plan_of(child, [pep]), "current_pep": pep}
