"""The designated teacher's casework screens (outside the Wagtail admin) and the receiving school's link.

Default deny: every view here answers 404 to anyone who is not the child's school's designated teacher
(the access log also admits the data protection officer; the subject access export is the DPO's alone).
Every response is no-store, and every read, download and transfer is written to the case audit log.
"""

import datetime
import json
import logging
import shutil
import tempfile
import zipfile
from decimal import Decimal
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from trust.access import current_memberships, own_school_ids
from trust.enums import Role
from trust.links import site_url
from trust.models import School
from trust.school_days import MissingTermDates
from trust.storage_faults import STORAGE_ERRORS, STORAGE_UNAVAILABLE, storage_unavailable

from . import audit, review_schedule
from .child_plan import child_page_url, pep_in_full, pep_parts, pep_pdf_context, plan_of
from .deadlines import DeadlineEngine
from .enums import AuditAction, DeadlineKind, DocumentCategory, TransitionPart
from .models import (
    PEP,
    Activity,
    CaseAuditEvent,
    CaseDocument,
    Child,
    Delegation,
    IdentityChange,
    SharedRecommendation,
    Target,
    TargetProgress,
    Transition,
    TransitionDownload,
)
from .models.transitions import TOKEN_SALT, hash_token
from .permissions import (
    can_export_subject_access,
    can_open_access_log,
    can_view_access_log,
    is_data_protection_officer,
)

logger = logging.getLogger(__name__)


def no_store(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def casework_view(view):
    """Designated teachers only (404 otherwise), never cached. The Children in Care policy gate is in front of
    every casework URL (casework.gate.CaseworkGateMiddleware)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not own_school_ids(request.user):
            raise Http404
        return no_store(view(request, *args, **kwargs))

    return wrapper


def children_with_casework(user):
    targets = Prefetch("targets", queryset=Target.objects.order_by("by_when"))
    child_protection = CaseDocument.objects.filter(child=OuterRef("pk"), category=DocumentCategory.CHILD_PROTECTION)
    return (
        Child.objects.for_user(user)
        .annotate(has_child_protection_documents=Exists(child_protection))
        .select_related("school")
        .prefetch_related(
            Prefetch(
                "peps",
                queryset=PEP.objects.order_by("-period_starts_on")
                .select_related("signed_off_by")
                .prefetch_related(targets),
            ),
            "reviews",
            "transitions",
        )
    )


def casework_rows(user):
    """Each of the person's children with the next open deadline and every flag, problems first."""
    children = list(children_with_casework(user))
    schools = School.objects.filter(pk__in=own_school_ids(user))
    engine = DeadlineEngine(schools)
    rows = []
    for child in children:
        deadlines = engine.deadlines_for(child)
        open_deadlines = [d for d in deadlines if not d.done]
        rows.append(
            {
                "child": child,
                "next": open_deadlines[0] if open_deadlines else None,
                "deadlines": deadlines,
                "flags": [flag for d in deadlines for flag in d.flags],
            }
        )
    rows.sort(key=lambda r: (not r["flags"], r["child"].school.name, r["child"].legal_last_name))
    return rows, engine


@casework_view
def home(request):
    rows, engine = casework_rows(request.user)
    audit.record(request, AuditAction.LIST, detail="casework home")
    own = own_school_ids(request.user)
    schools = sorted({m.school.name for m in current_memberships(request.user) if m.school_id in own})
    return render(request, "casework/home.html", {"rows": rows, "today": engine.today, "schools": schools})


@casework_view
def child_detail(request, pk):
    history = Prefetch("identity_history", queryset=IdentityChange.objects.select_related("recorded_by"))
    child = get_object_or_404(children_with_casework(request.user).prefetch_related(history), pk=pk)
    engine = DeadlineEngine([child.school])
    peps = list(child.peps.all())
    prefetch_related_objects(peps, *pep_parts())
    chosen = chosen_pep(request, peps)
    audit.record(request, AuditAction.READ, child)
    plan = plan_of(child, peps, engine.today)
    if chosen is not None:
        plan["current_pep"] = chosen
    return render(
        request,
        "casework/child.html",
        {
            "child": child,
            "deadlines": engine.deadlines_for(child),
            "child_page": True,
            "review_schedule": review_schedule.schedule(engine, child),
            "retention_until": None if child.retention_until() == datetime.date.max else child.retention_until(),
            "peps": peps,
            **plan,
            "plan_is_chosen": chosen is not None,
            # Where an edit started from the plan returns to (the edit view's `?next=`).
            "plan_url": child_page_url(child.pk, chosen.pk if chosen is not None else None),
            "can_export": can_export_subject_access(request.user, child),
            **delegated_entry_context(child),
        },
    )


def chosen_pep(request, peps):
    """`?pep=<id>`: the plan section shows that PEP of this child's (the one being written for next term, say)
    instead of the current one. Anything but one of the child's PEPs is a 404."""
    raw = request.GET.get("pep")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        raise Http404
    found = next((pep for pep in peps if pep.pk == int(raw)), None)
    if found is None:
        raise Http404
    return found


def delegated_entry_context(child):
    """The child's delegations (who, which sections, until when, withdrawn) and what delegates entered."""
    delegations = list(
        Delegation.objects.filter(child=child).select_related("delegate", "withdrawn_by").with_in_force()
    )
    delegates = {d.delegate_id: d.delegate for d in delegations}
    delegate_ids = set(delegates)
    entries = []

    def add(person, what, when=None):
        entries.append({"who": person.get_full_name() or person.email, "what": what, "when": when})

    if delegate_ids:
        for target in Target.objects.filter(pep__child=child, entered_by__isnull=False).select_related("entered_by"):
            add(target.entered_by, f"SMART target: {target.area}")
        notes = TargetProgress.objects.filter(target__pep__child=child, noted_by_id__in=delegate_ids)
        for note in notes.select_related("noted_by", "target"):
            add(note.noted_by, f"Progress note on the {note.target.area} target", note.noted_on)
        for activity in Activity.objects.filter(child=child, entered_by__isnull=False).select_related("entered_by"):
            add(activity.entered_by, f"Out-of-hours activity: {activity.activity}", activity.starts_on)
        changes = CaseAuditEvent.objects.filter(
            child_id=child.pk, user_id__in=delegate_ids, action=AuditAction.CHANGE, detail__startswith="delegated entry"
        ).order_by("-occurred_at")[:50]
        for event in changes:
            add(
                delegates[event.user_id],
                f"PEP section changed: {event.detail.removeprefix('delegated entry: ')}",
                event.occurred_at,
            )
    return {"delegations": delegations, "delegate_entries": entries}


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


def read_from_storage(documents, write):
    """Each document's whole content, read from storage before anything is sent or recorded: `write(n,
    document, source)` copies it. A failing file store raises one of STORAGE_ERRORS here, not mid-response."""
    for n, document in enumerate(documents, start=1):
        with document.file.storage.open(document.file.name, "rb") as source:
            write(n, document, source)


def spooled():
    return tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # FileResponse closes it


@casework_view
def document_download(request, pk):
    """The document, read whole from storage first: a file store that fails is a 503 page, and no download
    is logged for a file that was never sent."""
    document = get_object_or_404(CaseDocument.objects.for_user(request.user).select_related("child"), pk=pk)
    buffer = spooled()
    try:
        read_from_storage([document], lambda n, d, source: shutil.copyfileobj(source, buffer, 1024 * 1024))
    except STORAGE_ERRORS:
        buffer.close()
        logger.exception("Case document %s could not be read from the file store", document.pk)
        return storage_unavailable(request)
    audit.record(request, AuditAction.DOWNLOAD, document)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=document.download_name(),
        content_type=document.content_type,
    )


@casework_view
@require_POST
def pep_status(request, pk):
    pep = get_object_or_404(PEP.objects.for_user(request.user).select_related("child"), pk=pk)
    was_locked = pep.is_locked
    try:
        pep.move_to(request.POST.get("status", ""), request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, ValueError) as exc:
        for message in getattr(exc, "messages", [str(exc)]):  # one message per missing part of a PEP
            messages.error(request, message)
    else:
        audit.record(request, AuditAction.CHANGE, pep, detail=f"status {pep.status}")
        status = pep.get_status_display().lower()
        if was_locked:
            messages.success(request, f"The PEP is reopened and now {status}: it can be changed again.")
        else:
            messages.success(request, f"The PEP is now {status}.")
    return redirect(child_page_url(pep.child_id, pep.pk))


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
        from .transfer_views import reject

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


def render_pep_pdf(pep) -> bytes:
    """The PEP as a PDF (WeasyPrint): everything the child's page shows of it (pep_in_full prefetched)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("casework/pep_pdf.html", {**pep_pdf_context(pep), "generated": timezone.now()})
    return HTML(string=html, base_url=None).write_pdf()


@casework_view
def pep_pdf(request, pk):
    """The PEP as a PDF (WeasyPrint) for the local authority's ePEP system; the export is logged."""

    pep = get_object_or_404(
        pep_in_full(PEP.objects.for_user(request.user)).select_related("child__school", "child__responsible_authority"),
        pk=pk,
    )
    pdf = render_pep_pdf(pep)
    audit.record(request, AuditAction.EXPORT, pep, detail="PEP as PDF")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="pep-{pep.academic_year.replace("/", "-")}-{pep.term}.pdf"'
    return response


@require_POST
def acknowledge_recommendation(request, pk):
    """The named member of staff acknowledges a recommendation shared with them (nobody else may)."""
    share = get_object_or_404(SharedRecommendation.objects.active().filter(shared_with=request.user), pk=pk)
    if share.acknowledged_at is None:
        share.acknowledged_at = timezone.now()
        share.save(update_fields=["acknowledged_at"])
        audit.record(request, AuditAction.CHANGE, share, detail="recommendation acknowledged")
    messages.success(request, "Thank you: the designated teacher can see you have read it.")
    return redirect("/")


@casework_view
def deadlines_ics(request):
    """The designated teacher's open deadlines as iCalendar, for their own calendar app.

    Events leave the portal, so they name a child by initials and record number only.
    """
    import icalendar

    rows, _ = casework_rows(request.user)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Symphony Learning Trust//Casework deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Casework deadlines")
    for row in rows:
        child = row["child"]
        initials = f"{(child.preferred_name or child.legal_first_name)[:1]}{child.legal_last_name[:1]}".upper()
        for n, deadline in enumerate(row["deadlines"]):
            if deadline.done or not deadline.due_on or deadline.error:
                continue
            event = icalendar.Event()
            event.add("uid", f"casework-{child.pk}-{deadline.kind}-{n}@symphony.example")
            event.add("summary", f"{deadline.label} ({initials}, record {child.pk})")
            event.add("description", f"Rule: {deadline.rule_text}. Details in the portal's casework.")
            event.add("dtstart", deadline.due_on)
            if deadline.due_on < datetime.date.max:  # an all-day event without an end is one day long
                event.add("dtend", deadline.due_on + datetime.timedelta(days=1))
            event.add("dtstamp", timezone.now())
            cal.add_component(event)
    audit.record(request, AuditAction.EXPORT, detail="deadlines calendar")
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="casework-deadlines.ics"'
    return response


def _plain(model_instance, exclude=()):
    """Every stored field of a record as JSON-ready values: dates ISO, choices with their labels, ids for links."""
    data = {}
    for field in model_instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(model_instance, field.attname)
        if field.choices:
            value = {"value": value, "label": str(dict(field.flatchoices).get(value, value)) if value else ""}
        elif isinstance(value, datetime.datetime | datetime.date | datetime.time):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif field.get_internal_type() == "FileField":
            value = value.name
        data[field.attname if field.is_relation else field.name] = value
    return data


def subject_access_record(child):
    """The child and every record about them, as a dict for record.json (relations prefetched by the caller)."""
    record = _plain(child)
    record["display_name"] = child.display_name
    record["school"] = {"id": child.school_id, "name": child.school.name}
    authority = child.responsible_authority
    record["responsible_authority"] = _plain(authority) if authority else None
    record["retention_until"] = child.retention_until().isoformat()
    record["cohort_history"] = [_plain(c) for c in child.cohort_history.all()]
    record["identity_history"] = [_plain(c) for c in child.identity_history.all()]
    record["peps"] = [
        {
            **_plain(pep),
            "status_history": [_plain(s) for s in pep.status_changes.all()],
            "targets": [
                {**_plain(t), "progress_notes": [_plain(n) for n in t.progress_notes.all()]} for t in pep.targets.all()
            ],
            "shared_recommendations": [_plain(s) for s in pep.shared_recommendations.all()],
            "previous_target_evaluations": [_plain(e) for e in pep.previous_target_evaluations.all()],
            "ppplus_requests": [_plain(r) for r in pep.ppplus_requests.all()],
        }
        for pep in child.peps.all()
    ]
    record["suspensions_and_exclusions"] = [_plain(s) for s in child.suspensions.all()]
    record["linked_plans"] = [_plain(p) for p in child.linked_plans.all()]
    record["reviews"] = [_plain(r) for r in child.reviews.all()]
    record["activities"] = [_plain(a) for a in child.activities.all()]
    record["placements"] = [_plain(p) for p in child.placements.all()]
    record["transitions"] = [
        {
            **_plain(t, exclude=("token_hash",)),
            "document_ids": [d.pk for d in t.documents.all()],
            "downloads": [_plain(d) for d in t.downloads.all()],
        }
        for t in child.transitions.all()
    ]
    record["documents"] = [
        {**_plain(d), "export_path": f"documents/{d.pk}-{d.download_name()}"} for d in child.documents.all()
    ]
    return record


REFERENCE_MAX_LENGTH = 64


def reference_problem(reference: str) -> str:
    """What is wrong with a subject access request's reference, or "" when it will do."""
    if not reference:
        return "Enter the request reference before exporting."
    if len(reference) > REFERENCE_MAX_LENGTH:
        return f"The request reference can be {REFERENCE_MAX_LENGTH} characters at most."
    if not reference.isprintable():
        return "The request reference can hold letters, numbers, spaces and punctuation only."
    return ""


def _export_form(request, child, reference="", error="", status=200):
    context = {"child": child, "reference": reference, "error": error, "max_length": REFERENCE_MAX_LENGTH}
    return no_store(render(request, "casework/subject_access_export.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def subject_access_export(request, pk):
    """A subject access export of one child's whole record, as a ZIP, by the data protection officer only.

    GET shows the child's identity (to confirm it is the right child) and asks for the request's
    reference; POST with the reference returns the ZIP, writes the export and its reference to the case
    audit, and tells the child's school's designated teacher(s). record.json holds the child and every
    related record plus the audit events about them; documents/ holds every stored case document, read
    through the storage API. A legal hold does not stop it.
    """
    if not is_data_protection_officer(request.user):  # can_export_subject_access, before the child is read
        # The child's own designated teacher knows the child exists: a refusal (403), not a 404. To anyone
        # else the child is outside their scope, and a 404 keeps it so.
        if Child.objects.for_user(request.user).filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    if request.method != "POST":
        child = Child.objects.filter(pk=pk).select_related("school").first()
        if child is None:
            raise Http404
        audit.record(request, AuditAction.READ, child, detail="subject access export: confirming the child")
        return _export_form(request, child)
    reference = request.POST.get("reference", "").strip()
    problem = reference_problem(reference)
    if problem:
        child = get_object_or_404(Child.objects.select_related("school"), pk=pk)
        return _export_form(request, child, reference[:128], problem, status=400)
    child = (
        Child.objects.filter(pk=pk)
        .select_related("school", "responsible_authority")
        .prefetch_related(
            "cohort_history",
            "identity_history",
            Prefetch(
                "peps",
                queryset=PEP.objects.order_by("period_starts_on").prefetch_related(
                    "status_changes",
                    Prefetch("targets", queryset=Target.objects.order_by("by_when", "pk")),
                    "targets__progress_notes",
                    "shared_recommendations",
                    "previous_target_evaluations",
                    "ppplus_requests",
                ),
            ),
            "suspensions",
            "linked_plans",
            "reviews",
            "activities",
            "placements",
            Prefetch("documents", queryset=CaseDocument.objects.order_by("pk")),
            "transitions__documents",
            "transitions__downloads",
        )
        .first()
    )
    if not can_export_subject_access(request.user, child):
        raise Http404
    record = subject_access_record(child)
    record["audit_events"] = [_plain(e) for e in CaseAuditEvent.objects.filter(child_id=child.pk).order_by("id")]
    exported_at = timezone.now()
    buffer = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # FileResponse closes it
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for document, entry in zip(child.documents.all(), record["documents"], strict=True):
            storage, name = document.file.storage, document.file.name
            entry["file_missing"] = not (name and storage.exists(name))
            if entry["file_missing"]:
                continue
            with storage.open(name, "rb") as source, archive.open(entry["export_path"], "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
        payload = {
            "exported_at": exported_at.isoformat(),
            "exported_by_user_id": request.user.pk,
            "request_reference": reference,
            "child": record,
        }
        archive.writestr("record.json", json.dumps(payload, indent=2, ensure_ascii=False))
    event = audit.record(request, AuditAction.EXPORT, child, detail=f"subject access export, reference {reference}")
    _tell_the_designated_teachers(request, child, reference, event)
    buffer.seek(0)
    response = FileResponse(
        buffer,
        as_attachment=True,
        filename=f"subject-access-child-{child.pk}-{exported_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    return no_store(response)


def _tell_the_designated_teachers(request, child, reference, event):
    """The child's school's designated teacher(s) hear of the export: the school, who, the reference and a
    link to the record. Never the child's name: an email leaves the portal."""
    emails = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Role.DESIGNATED_TEACHER,
            memberships__school_id=child.school_id,
            memberships__ended_on__isnull=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not emails:
        return
    dpo = request.user.get_full_name() or request.user.email
    link = site_url(reverse("casework:child", args=[child.pk]))
    subject = f"Subject access export of a child's record at {child.school.name}"
    body = (
        f"A subject access export of a child's record at {child.school.name} was made by {dpo}, "
        f"the data protection officer, on {timezone.localtime():%-d %B %Y at %H:%M}, "
        f"with request reference {reference}.\n\n"
        f"The child's record: {link}\n\n"
        f"The export is in the record's access log (case audit entry {event.pk})."
    )
    transaction.on_commit(lambda: send_mail(subject, body, None, emails))
