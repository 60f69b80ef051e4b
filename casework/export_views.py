"""A child's record leaving the portal: the PEP as a PDF (the designated teacher's), and the subject access
export of the whole record (the data protection officer's alone, casework.permissions). Both are logged.
"""

import datetime
import json
import shutil
import zipfile
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trust.enums import Role
from trust.links import site_url

from . import audit
from .child_plan import pep_in_full, pep_pdf_context
from .documents import spooled
from .enums import AuditAction
from .models import PEP, CaseAuditEvent, CaseDocument, Child, Target
from .permissions import can_export_subject_access, is_data_protection_officer
from .view_guards import casework_view, no_store


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
    buffer = spooled()  # FileResponse closes it
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
