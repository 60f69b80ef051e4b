"""The designated teacher's casework screens (outside the Wagtail admin): the casework home, a child's page,
a document's download, a PEP's status, the deadlines calendar, and a shared recommendation's acknowledgement.

Default deny: every view here answers 404 to anyone who is not the child's school's designated teacher.
Every response is no-store, and every read and download is written to the case audit log.
"""

import datetime
import logging
import shutil

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from trust.access import current_memberships, own_school_ids
from trust.models import School
from trust.personal_pages import casework_generations
from trust.storage_faults import STORAGE_ERRORS, storage_unavailable

from . import audit, review_schedule
from .child_plan import child_page_url, pep_parts, plan_of
from .deadlines import DeadlineEngine
from .documents import read_from_storage, spooled
from .enums import AuditAction, DocumentCategory
from .home_table import table_rows
from .listed_children import listed_children
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
)
from .permissions import can_export_subject_access
from .view_guards import casework_view

logger = logging.getLogger(__name__)


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


def own_schools(user) -> list[School]:
    """The schools where the person is designated teacher, from their memberships (already read this request)."""
    own = own_school_ids(user)
    return list({m.school_id: m.school for m in current_memberships(user) if m.school_id in own}.values())


def casework_rows(user):
    """Each of the person's children with the next open deadline and every flag, problems first."""
    children = list(children_with_casework(user))
    engine = DeadlineEngine(own_schools(user))
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
    _problems_first(rows)
    return rows, engine


def _problems_first(rows):
    rows.sort(key=lambda r: (not r["flags"], r["child"].school.name, r["child"].legal_last_name))


def home_rows(request):
    """The casework home's rows. Each child's next deadline and flags (dates, rules, school names: never the
    child's name, date of birth or UPN) are kept in the shared cache for the day under the content, person and
    casework generations, so any casework record, calendar, rule or membership saved renews them at once; the
    children themselves are read afresh on every view, and a copy whose children differ is not used."""
    key = _kept_deadlines_key(request)
    kept = cache.get(key) if key else None
    if kept is not None:
        children = _listed_children(request.user)
        if {child.pk for child in children} == set(kept):
            rows = [{"child": child, **kept[child.pk]} for child in children]
            _problems_first(rows)
            return rows
    rows, _ = casework_rows(request.user)
    if key:
        deadlines = {r["child"].pk: {"next": r["next"], "flags": r["flags"]} for r in rows}
        cache.set(key, deadlines, timeout=settings.PERSONAL_PAGE_CACHE_SECONDS)
    return rows


def _listed_children(user):
    """The person's children with only the columns the list shows, each with its school from the memberships
    already read this request (the children are only ever in the person's own schools), rather than joined in."""
    schools = {school.pk: school for school in own_schools(user)}
    children = listed_children(schools)
    for child in children:
        child.school = schools[child.school_id]
    return children


def _kept_deadlines_key(request):
    if not settings.PERSONAL_PAGE_CACHE:
        return None
    generations = casework_generations(request)
    return f"casework-home:{request.user.pk}:{generations}:{timezone.localdate():%Y%m%d}"


@casework_view
def home(request):
    rows = home_rows(request)
    audit.record(request, AuditAction.LIST, detail="casework home", once_a_minute=True)
    schools = sorted(school.name for school in own_schools(request.user))
    context = {"rows": rows, "table_rows": table_rows(rows), "today": timezone.localdate(), "schools": schools}
    return render(request, "casework/home.html", context)


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
