"""Transfers beyond the main pack: the child protection file sent separately, and the receiving
school's rejection.

The receiving designated teacher rejects through the single-use link (`views.receive_page`): no sign-in,
the link is the key. The email to the sending school's designated teachers names neither the child nor
the reason (it leaves the portal): it points at the transfer's page, behind sign-in.
"""

from django.contrib import messages
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from trust.enums import Role
from trust.links import site_url
from trust.models import Membership

from . import audit
from .enums import AuditAction, DocumentCategory, TransitionPart
from .models import CaseDocument, Transition
from .views import casework_view, no_store

REASON_MAX_CHARS = 2000


def sending_dt_emails(school_id) -> list[str]:
    """The current designated teachers of the school the child is leaving."""
    return sorted(
        set(
            Membership.objects.current()
            .filter(role=Role.DESIGNATED_TEACHER, school_id=school_id, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _tell_sending_school(transition, page_url: str) -> None:
    recipients = sending_dt_emails(transition.child.school_id)
    if not recipients:
        return
    send_mail(
        f"{transition.receiving_school} rejected the {transition.what_is_sent} you sent",
        f"{transition.rejected_by} at {transition.receiving_school} rejected the records sent on "
        f"{transition.sent_at:%d %B %Y} (casework record {transition.child_id}, transfer {transition.pk}).\n"
        f"Sign in to read their reason and send a new link: {page_url}",
        None,
        recipients,
    )


def reject(request, transition):
    """POST from the receiving school's page: a name and a reason, or a plain error and nothing saved."""
    name = request.POST.get("name", "").strip()[:200]
    reason = request.POST.get("reason", "").strip()[:REASON_MAX_CHARS]
    errors = {}
    if transition.receipt_confirmed_at:
        errors["name"] = "You have already confirmed you received these records, so they cannot be rejected now."
    if not name:
        errors["name"] = "Enter your name to reject the records."
    if not reason:
        errors["reason"] = "Enter why you are rejecting the records, so the sending school can put it right."
    if errors:
        context = {
            "transition": transition,
            "used": bool(transition.link_used_at),
            "reject_errors": errors,
            "reject_name": name,
            "reject_reason": reason,
        }
        return no_store(render(request, "casework/receive.html", context))
    if not transition.is_rejected:
        page_url = site_url(reverse("casework:transition", args=[transition.pk]))
        with transaction.atomic():
            transition.reject(name, reason, audit.client_ip(request))
            audit.record(request, AuditAction.REJECT, transition, detail="transfer rejected by the receiving school")
            transaction.on_commit(lambda: _tell_sending_school(transition, page_url))
    return redirect("casework:receive_page", pk=transition.pk)


@casework_view
@require_POST
def start_child_protection_transfer(request, pk):
    """From a main transfer: a separate transfer of the child's child protection documents, same school."""
    main = get_object_or_404(
        Transition.objects.for_user(request.user).filter(part=TransitionPart.RECORDS).select_related("child"), pk=pk
    )
    existing = Transition.objects.filter(travels_with=main).first()
    if existing:
        return redirect("casework:transition", pk=existing.pk)
    documents = list(CaseDocument.objects.filter(child=main.child, category=DocumentCategory.CHILD_PROTECTION))
    if not documents:
        messages.error(
            request,
            "No child protection documents are recorded for this child. Upload the file as a case document "
            "with the category \u201cChild protection file\u201d first.",
        )
        return redirect("casework:transition", pk=main.pk)
    with transaction.atomic():
        separate = Transition.objects.create(
            child=main.child,
            part=TransitionPart.CHILD_PROTECTION,
            travels_with=main,
            receiving_school=main.receiving_school,
            receiving_dt_name=main.receiving_dt_name,
            receiving_dt_email=main.receiving_dt_email,
            left_on=main.left_on,
        )
        separate.documents.set(documents)
        main.documents.remove(*documents)
        audit.record(request, AuditAction.CREATE, separate, detail="child protection file transfer")
    messages.success(
        request,
        f"The child protection file ({len(documents)} document{'s' if len(documents) > 1 else ''}) now travels "
        "separately: check the documents, then send its own single-use link.",
    )
    return redirect("casework:transition", pk=separate.pk)
