"""Transfers: the transition's page (issuing the single-use link), the receiving school's page (no sign-in: the
link is the key; download once, confirm or reject), the child protection file and the SEND file (to the
receiving school's SENCO), each sent separately with its own link and receipt, and the PEP to the social worker.

The email to the sending school's designated teachers on a rejection names neither the child nor the reason (it
leaves the portal): it points at the transfer's page, behind sign-in.
"""

import datetime
import logging
import shutil
import zipfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from trust.enums import Role
from trust.links import site_url
from trust.models import Membership
from trust.school_days import MissingTermDates
from trust.storage_faults import STORAGE_ERRORS, STORAGE_UNAVAILABLE, storage_unavailable

from . import audit
from .child_plan import pep_in_full
from .deadlines import DeadlineEngine
from .documents import read_from_storage, spooled
from .enums import AuditAction, DeadlineKind, DocumentCategory, TransitionPart
from .export_views import render_pep_pdf
from .models import PEP, CaseDocument, Transition, TransitionDownload
from .models.transitions import TOKEN_SALT, hash_token
from .view_guards import casework_view, no_store

logger = logging.getLogger(__name__)
REASON_MAX_CHARS = 2000


@casework_view
def transition_detail(request, pk):
    transition = get_object_or_404(
        Transition.objects.for_user(request.user)
        .select_related(
            "child__school", "travels_with", "child_protection_transfer", "send_file_of", "send_file_transfer"
        )
        .prefetch_related("documents"),
        pk=pk,
    )
    child = transition.child
    engine = DeadlineEngine([child.school])
    link = None
    if request.method == "POST":
        problem = transition.documents_problem()
        if problem:
            messages.error(request, problem)
        else:
            token = transition.issue_link(request.user)
            link = site_url(f"{reverse('casework:receive_start')}?{urlencode({'link': token})}")
            send_mail(
                f"{transition.what_is_sent_heading} for a child joining your school",
                f"The designated teacher at {child.school.name} has sent the {transition.what_is_sent} for a child "
                "joining your school.\n"
                f"Open this link to download them (it works once and expires in 7 days): {link}\n"
                "Then confirm you have received them on the same page.",
                None,
                [transition.receiving_dt_email],
            )
            audit.record(request, AuditAction.TRANSFER, transition, detail="link issued")
            messages.success(request, f"A single-use link was sent to {transition.receiving_dt_email}.")
    else:
        audit.record(request, AuditAction.READ, transition)
    due_on, rule = None, None
    try:
        due_on, rule = engine.transfer_due(child, transition.left_on, transition.deadline_kind)
        lateness = engine.transfer_lateness(child, transition, due_on)
        error = ""
    except MissingTermDates as exc:  # shown, never a silently wrong date
        lateness, error = None, str(exc)
    return render(
        request,
        "casework/transition.html",
        {
            "transition": transition,
            "child": child,
            "link": link,
            "due_on": due_on,
            "rule": rule,
            "lateness": lateness,
            "error": error,
            "downloads": transition.downloads.all(),
            "cp_rule": engine.rule(DeadlineKind.CHILD_PROTECTION, child.school_id, child.responsible_authority_id),
            "child_protection_documents": (
                None
                if transition.part != TransitionPart.RECORDS
                else child.documents.filter(category=DocumentCategory.CHILD_PROTECTION)
            ),
            "send_documents": (
                None
                if transition.part != TransitionPart.RECORDS
                else child.documents.filter(category=DocumentCategory.SEN)
            ),
        },
    )


def _transition_for_token(token):
    """The transition a link names: the signature must be ours and its hash must be the one stored."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=datetime.timedelta(days=31))
    except signing.BadSignature:
        raise Http404 from None
    transition = (
        Transition.objects.filter(pk=payload.get("t"), token_hash=hash_token(token))
        .select_related("child__school")
        .first()
    )
    if transition is None or not transition.link_is_live():
        raise Http404
    return transition


# The token travels in a URL once: the emailed link (`/casework/receive/?link=…`, its query string never in
# the access log) is exchanged for this short-lived cookie, limited to the transfer's own token-free page.
RECEIVE_COOKIE = "transfer_link"


RECEIVE_COOKIE_SALT = "casework.transition-link.cookie"


def receive_cookie_seconds() -> int:
    return getattr(settings, "CASEWORK_RECEIVE_COOKIE_SECONDS", 60 * 60)


def _exchange(request, token):
    """Swap the link for the cookie and open the token-free page. The page is reached by a refresh from this
    one (same site), so the SameSite=Strict cookie goes with it even when the link was clicked in webmail."""
    transition = _transition_for_token(token)
    page_url = reverse("casework:receive_page", args=[transition.pk])
    response = no_store(render(request, "casework/receive_open.html", {"page_url": page_url}))
    seconds = min(receive_cookie_seconds(), int((transition.link_expires_at - timezone.now()).total_seconds()))
    response.set_cookie(
        RECEIVE_COOKIE,
        signing.dumps({"t": transition.pk, "h": transition.token_hash}, salt=RECEIVE_COOKIE_SALT),
        max_age=max(seconds, 0),
        path=page_url,
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    response["Referrer-Policy"] = "no-referrer"  # the next request must not carry this URL either
    return response


@login_not_required
@require_safe
def receive_start(request):
    """The emailed link: `?link=<token>` is exchanged for the cookie; without a live link, a 404."""
    token = request.GET.get("link", "")
    if not token:
        raise Http404
    return _exchange(request, token)


@login_not_required
@require_safe
def receive(request, token):
    """A link in the older form (the token in the path), still working until it expires: exchanged the same way."""
    return _exchange(request, token)


def _transition_for_cookie(request, pk):
    """The transfer the cookie was issued for, while its link is live and has not been replaced; else None."""
    try:
        payload = signing.loads(
            request.COOKIES.get(RECEIVE_COOKIE, ""), salt=RECEIVE_COOKIE_SALT, max_age=receive_cookie_seconds()
        )
    except signing.BadSignature:
        return None
    if payload.get("t") != pk or not payload.get("h"):
        return None
    transition = Transition.objects.filter(pk=pk, token_hash=payload["h"]).select_related("child__school").first()
    return transition if transition is not None and transition.link_is_live() else None


def _receive_page(request, transition, status=200, **context):
    context = {"transition": transition, "used": bool(transition.link_used_at), **context}
    return no_store(render(request, "casework/receive.html", context, status=status))


@login_not_required
def receive_page(request, pk):
    """The receiving school's page: download once, then confirm receipt. No sign-in: the link is the key."""
    transition = _transition_for_cookie(request, pk)
    if transition is None:
        return no_store(render(request, "casework/receive_closed.html", status=404))
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "reject":
        return reject(request, transition)
    if action == "download":
        return _download_pack(request, transition)
    if action == "confirm":
        name = request.POST.get("name", "").strip()[:200]
        if not name:
            messages.error(request, "Enter your name to confirm you have received the records.")
        elif transition.is_rejected:
            messages.error(request, "You rejected these records: ask the sending school for a new link.")
        elif transition.receipt_confirmed_at is None:
            transition.receipt_confirmed_at = timezone.now()
            transition.receipt_confirmed_by = name
            transition.receipt_confirmed_ip = audit.client_ip(request)
            transition.save(update_fields=["receipt_confirmed_at", "receipt_confirmed_by", "receipt_confirmed_ip"])
            audit.record(request, AuditAction.RECEIPT, transition, detail="receipt confirmed")
        return redirect("casework:receive_page", pk=transition.pk)
    return _receive_page(request, transition)


def _download_pack(request, transition):
    """The pack is read whole from storage first; only then, in one transaction, is the link used up and the
    download and its audit event recorded. A file store that fails leaves the link working and records nothing."""
    if transition.is_rejected or transition.link_used_at:
        return _receive_page(request, transition, status=410, used=True)
    buffer = spooled()
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

            def add(n, document, source):
                with archive.open(f"{n:02d}-{document.download_name()}", "w") as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)

            read_from_storage(transition.documents.all(), add)
    except STORAGE_ERRORS:
        buffer.close()
        logger.exception("The transfer pack for transition %s could not be read from the file store", transition.pk)
        return storage_unavailable(request, STORAGE_UNAVAILABLE)
    with transaction.atomic():
        claimed = Transition.objects.filter(pk=transition.pk, link_used_at__isnull=True).update(
            link_used_at=timezone.now()
        )
        if claimed:
            TransitionDownload.objects.create(
                transition=transition,
                ip=audit.client_ip(request),
                user_agent=request.headers.get("user-agent", "")[:300],
            )
            audit.record(request, AuditAction.DOWNLOAD, transition, detail="receiving school download")
    if not claimed:  # another request used the link while this one read the files
        buffer.close()
        return _receive_page(request, transition, status=410, used=True)
    buffer.seek(0)
    zip_name = {"child_protection": "child-protection-file.zip", "send": "send-file.zip", "pep": "pep.zip"}.get(
        transition.part, "transfer-records.zip"
    )
    return no_store(FileResponse(buffer, as_attachment=True, filename=zip_name, content_type="application/zip"))



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
