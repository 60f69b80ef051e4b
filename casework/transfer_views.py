"""Transfers beyond the main pack: the child protection file and the SEND file (to the receiving school's
SENCO), each sent separately with its own link and receipt, and the receiving school's rejection.

The receiving designated teacher rejects through the single-use link (`views.receive_page`): no sign-in,
the link is the key. The email to the sending school's designated teachers names neither the child nor
the reason (it leaves the portal): it points at the transfer's page, behind sign-in.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
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


@casework_view
@require_POST
def start_send_transfer(request, pk):
    """From a main transfer: the child's SEN and EHCP documents go separately to the receiving school's SENCO."""
    main = get_object_or_404(
        Transition.objects.for_user(request.user).filter(part=TransitionPart.RECORDS).select_related("child"), pk=pk
    )
    existing = Transition.objects.filter(send_file_of=main).first()
    if existing:
        return redirect("casework:transition", pk=existing.pk)
    name = request.POST.get("senco_name", "").strip()[:200]
    email = request.POST.get("senco_email", "").strip()[:254]
    problems = []
    if not name:
        problems.append("Enter the name of the receiving school's SENCO.")
    try:
        validate_email(email)
    except ValidationError:
        problems.append("Enter the SENCO's email address, like name@school.example.")
    documents = list(CaseDocument.objects.filter(child=main.child, category=DocumentCategory.SEN))
    if not documents:
        problems.append(
            "No SEN or EHCP documents are recorded for this child. Upload them as case documents with the "
            "category \u201cSEN or EHCP file\u201d first."
        )
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return redirect("casework:transition", pk=main.pk)
    with transaction.atomic():
        separate = Transition.objects.create(
            child=main.child,
            part=TransitionPart.SEND,
            send_file_of=main,
            receiving_school=main.receiving_school,
            receiving_dt_name=name,
            receiving_dt_email=email,
            left_on=main.left_on,
        )
        separate.documents.set(documents)
        main.documents.remove(*documents)
        audit.record(request, AuditAction.CREATE, separate, detail="SEND file transfer")
    messages.success(
        request,
        f"The SEND file ({len(documents)} document{'s' if len(documents) > 1 else ''}) now goes separately to "
        f"{name}, the SENCO: check the documents, then send its own single-use link.",
    )
    return redirect("casework:transition", pk=separate.pk)


@casework_view
@require_POST
def send_pep_to_social_worker(request, pk):
    """The PEP, as its PDF, to the child's social worker through a single-use link with its own receipt."""
    from django.core.files.base import ContentFile
    from django.core.mail import send_mail as send
    from django.utils.http import urlencode

    from trust.storage_faults import STORAGE_ERRORS

    from .child_plan import pep_in_full
    from .models import PEP
    from .views import render_pep_pdf

    pep = get_object_or_404(
        pep_in_full(PEP.objects.for_user(request.user)).select_related("child__school", "child__responsible_authority"),
        pk=pk,
    )
    child = pep.child
    if not (child.social_worker_name.strip() and child.social_worker_email.strip()):
        messages.error(request, "Record the social worker's name and email on the child's record first.")
        return redirect("casework:child", pk=child.pk)
    pdf = render_pep_pdf(pep)
    document = CaseDocument(
        child=child,
        title=f"{pep.term_label} (sent to the social worker)",
        original_name=f"{pep.term_label}.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=len(pdf),
        uploaded_by=request.user,
    )
    try:
        with transaction.atomic():
            document.file.save("pep.pdf", ContentFile(pdf), save=False)
            document.save()
            sent = Transition.objects.create(
                child=child,
                part=TransitionPart.PEP,
                receiving_school=str(child.responsible_authority or "Children's social care"),
                receiving_dt_name=child.social_worker_name,
                receiving_dt_email=child.social_worker_email,
                left_on=timezone.localdate(),
            )
            sent.documents.set([document])
            token = sent.issue_link(request.user)
            audit.record(request, AuditAction.TRANSFER, sent, detail="PEP sent to the social worker")
    except STORAGE_ERRORS:
        messages.error(request, "The PEP could not be stored: the file store did not answer. Nothing was sent.")
        return redirect("casework:child", pk=child.pk)
    link = request.build_absolute_uri(f"{reverse('casework:receive_start')}?{urlencode({'link': token})}")
    send(
        f"A PEP from {child.school.name}",
        f"The designated teacher at {child.school.name} has sent you a child's Personal Education Plan.\n"
        f"Open this link to download it (it works once and expires in 7 days): {link}\n"
        "Then confirm you have received it on the same page.",
        None,
        [sent.receiving_dt_email],
    )
    messages.success(request, f"The PEP was sent to {child.social_worker_name} through a single-use link.")
    return redirect("casework:transition", pk=sent.pk)
