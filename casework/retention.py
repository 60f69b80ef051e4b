"""Deleting a child's records once the retention schedule says they may go (`manage.py apply_retention`).

Each record keeps its own retention basis (`retention_basis`, shown on the record): a pupil file to date of
birth + 25 years, an SEN or EHCP file + 31, whatever the child's status later. A child's record is kept as
long as its longest-kept document (an SEN document makes it an SEN file); a pupil-file document of a child
whose record stays goes on its own date (`documents_due`, `apply_document`). A legal hold always stops deletion, and is read again inside the deleting transaction. Stored files go
first, through the storage API (local files or S3): if any cannot be deleted, every row of that child is
kept and the failure reported, so a later run can try again and nothing is lost silently. Each child
deleted leaves one case audit event (ids only), written in the same transaction as the deletion.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import ProtectedError, Q

from . import audit
from .enums import AuditAction, RetentionBasis
from .models import PEP, Activity, CaseDocument, Child, Delegation, LinkedPlan, Placement, Review, Transition

RETENTION_ACTOR = "system: manage.py apply_retention"


@dataclass
class Outcome:
    child_id: int
    school: str
    kept_until: datetime.date
    files: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "name: why" for each file storage kept
    deleted: bool = False
    held: bool = False
    problem: str = ""


def children_due(today: datetime.date) -> tuple[list[Child], list[Child]]:
    """(due for deletion and free to go, due but on legal hold), oldest record first."""
    due = [
        c for c in Child.objects.select_related("school").order_by("school__name", "pk") if c.retention_until() <= today
    ]
    return [c for c in due if not c.legal_hold], [c for c in due if c.legal_hold]


def documents_of(child) -> list[CaseDocument]:
    """Every case document of the child's record: their own, and any a linked plan or review report points at."""
    linked = LinkedPlan.objects.filter(child=child, document__isnull=False).values("document")
    reports = Review.objects.filter(child=child, report_document__isnull=False).values("report_document")
    return list(
        CaseDocument.objects.filter(Q(child=child) | Q(pk__in=linked) | Q(pk__in=reports)).distinct().order_by("pk")
    )


def _delete_stored_file(document) -> str:
    """Empty once the file is gone from storage (or was never there); otherwise why it is still there."""
    storage, name = document.file.storage, document.file.name
    if not name:
        return ""
    try:
        storage.delete(name)
        if storage.exists(name):
            return f"{name}: still in storage after deleting it"
    except Exception as exc:  # noqa: BLE001 - any storage failure is reported, and the record kept
        return f"{name}: {exc.__class__.__name__}: {exc}"
    return ""


def _delete_rows(child, documents) -> None:
    # Children's records are PROTECTed from accidental deletion, so each kind goes explicitly, in order.
    transitions = Transition.objects.filter(child=child)
    # a child protection or SEND file before its main transfer
    transitions.filter(Q(travels_with__isnull=False) | Q(send_file_of__isnull=False)).delete()
    transitions.delete()
    Activity.objects.filter(child=child).delete()
    PEP.objects.filter(child=child).delete()  # with status changes, targets, progress notes and shares
    LinkedPlan.objects.filter(child=child).delete()
    Review.objects.filter(child=child).delete()
    CaseDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    Delegation.objects.filter(child=child).delete()  # withdrawn or not: they go with the record
    Placement.objects.filter(child=child).delete()
    child.delete()  # with cohort and identity history


def apply(child, *, delete: bool) -> Outcome:
    """Delete (or with delete=False, only describe deleting) one child's record and its stored files."""
    documents = documents_of(child)
    outcome = Outcome(child.pk, child.school.name, child.retention_until(), files=[d.file.name for d in documents])
    if child.legal_hold:
        outcome.held = True
        return outcome
    if not delete:
        return outcome
    if Child.objects.filter(pk=child.pk, legal_hold=True).exists():
        outcome.held = True  # put on hold since this run started
        return outcome
    outcome.failed = [problem for problem in map(_delete_stored_file, documents) if problem]
    if outcome.failed:
        audit.record(
            None,
            AuditAction.DELETE,
            child,
            actor=RETENTION_ACTOR,
            detail=f"retention: {len(documents) - len(outcome.failed)} of {len(documents)} stored file(s) deleted; "
            "record kept (storage errors)",
        )
        return outcome
    try:
        with transaction.atomic():
            if Child.objects.select_for_update().filter(pk=child.pk, legal_hold=True).exists():
                outcome.held = True
                return outcome
            audit.record(
                None,
                AuditAction.DELETE,
                child,
                actor=RETENTION_ACTOR,
                detail=f"retention: record deleted with {len(documents)} stored file(s) "
                f"(kept until {outcome.kept_until:%Y-%m-%d})",
            )
            _delete_rows(child, documents)
    except ProtectedError as exc:
        names = sorted({obj._meta.verbose_name for obj in exc.protected_objects})
        outcome.problem = f"other records still point at it ({', '.join(names)})"
        return outcome
    outcome.deleted = True
    return outcome


def documents_due(today: datetime.date) -> list[CaseDocument]:
    """Pupil-file documents past their own date whose child's record stays (an SEN file, kept 31 years)."""
    documents = (
        CaseDocument.objects.filter(
            retention_basis=RetentionBasis.PUPIL_FILE,
            child__retention_basis=RetentionBasis.SEN_FILE,
            child__legal_hold=False,
        )
        .select_related("child__school")
        .order_by("child__school__name", "pk")
    )
    return [d for d in documents if d.retention_until() <= today < d.child.retention_until()]


def apply_document(document, *, delete: bool) -> Outcome:
    """Delete (or only describe deleting) one document past its own retention date; the child's record stays."""
    child = document.child
    outcome = Outcome(child.pk, child.school.name, document.retention_until(), files=[document.file.name])
    if not delete:
        return outcome
    if Child.objects.filter(pk=child.pk, legal_hold=True).exists():
        outcome.held = True
        return outcome
    problem = _delete_stored_file(document)
    if problem:
        outcome.failed = [problem]
        audit.record(
            None,
            AuditAction.DELETE,
            child,
            actor=RETENTION_ACTOR,
            detail=f"retention: document {document.pk} kept (storage error)",
        )
        return outcome
    with transaction.atomic():
        audit.record(
            None,
            AuditAction.DELETE,
            child,
            actor=RETENTION_ACTOR,
            detail=f"retention: document {document.pk} deleted (pupil file, kept until {outcome.kept_until:%Y-%m-%d})",
        )
        document.delete()
    outcome.deleted = True
    return outcome
