"""The evidence register: for one policy, guidance or training version (the current one or an earlier
one), each person in its audience with their status and the evidence behind it (the receipt's reference and hash, and for paper, who
recorded it and why).

The audience is each app's own rule (`Requirement._audience()`: policy.audience for policies and
guidance, the module's roles for training). A fixed number of queries whatever the number of people:
the requirements, the audience's memberships (with user and school), the receipts of the version.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from policy.audience import acknowledgement_due
from trust.enums import Role
from trust.shown_text import revision_text_sha256

from . import register_versions
from .briefing_sources import Requirement
from .models import TrainingCompletion

ONLINE, PAPER, OUTSTANDING, NOT_YET_DUE = "online", "paper", "outstanding", "not-yet-due"
STATUS_LABELS = {
    ONLINE: "Acknowledged online",
    PAPER: "Acknowledged on paper",
    OUTSTANDING: "Outstanding",
    NOT_YET_DUE: "Not yet due",
}
ROLE_LABELS = dict(Role.choices)


@dataclass
class RegisterRow:
    user_id: int
    name: str
    email: str
    schools: list[str] = field(default_factory=list)
    school_ids: set[int] = field(default_factory=set)
    roles: list[str] = field(default_factory=list)
    role_codes: set[str] = field(default_factory=set)
    status: str = OUTSTANDING
    at: datetime | None = None  # when acknowledged or completed
    signed_on: date | None = None  # a paper acknowledgement's date signed
    due_on: date | None = None
    receipt_ref: str = ""
    receipt_hash: str = ""
    recorded_by: str = ""
    paper_reason: str = ""
    joined_on: date | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Register:
    requirement: Requirement
    text_sha256: str
    rows: list[RegisterRow]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.rows)


def find_requirement(key: str) -> Requirement | None:
    """The current or an earlier version named by `key` (`register_versions.py`); None when it names none."""
    return register_versions.find_requirement(key)


def version_text_sha256(requirement) -> str:
    """The SHA-256 of the version's text as people were shown it (the hash on each online receipt)."""
    start = register_versions.version_start(requirement)
    return revision_text_sha256(start.revision_id) if start else ""


def _due(requirement, joined: date | None) -> date | None:
    """When the person's acknowledgement is due: the policy's period from publication, or from joining
    when they joined later. Training modules carry no period: None (outstanding until done)."""
    if requirement.kind == "Training" or requirement.since is None:
        return None
    page = _page(requirement)
    if page is None:
        return None
    return acknowledgement_due(page, timezone.localdate(requirement.since), joined)


def _page(requirement):
    from policy.models import GuidancePage, PolicyPage

    model = PolicyPage if requirement.kind == "Policy" else GuidancePage
    if not hasattr(requirement, "_page_cache"):
        object.__setattr__(requirement, "_page_cache", model.objects.filter(pk=requirement.page_id).first())
    return requirement._page_cache


def _receipts(requirement, user_ids):
    if requirement.kind == "Training":
        records = TrainingCompletion.objects.filter(
            page_id=requirement.page_id, version_number=requirement.version_number, user_id__in=user_ids
        )
        return {
            c.user_id: {"at": c.completed_at, "ref": f"T-{c.pk}", "hash": c.text_sha256, "paper": False}
            for c in records
        }
    from policy.models import ReadReceipt

    records = ReadReceipt.objects.filter(
        page_id=requirement.page_id, version_number=requirement.version_number, user_id__in=user_ids
    ).select_related("recorded_by")
    return {
        r.user_id: {
            "at": r.acknowledged_at,
            "ref": f"R-{r.pk}",
            "hash": r.text_sha256,
            "paper": r.on_paper,
            "signed_on": r.signed_on,
            "recorded_by": (r.recorded_by.get_full_name() or r.recorded_by.email) if r.recorded_by else "",
            "reason": r.on_paper_reason,
        }
        for r in records
    }


def build_register(requirement, school_ids=None, *, today=None) -> Register:
    """Every person in the requirement's audience (in `school_ids`; None: every school), by name."""
    today = today or timezone.localdate()
    memberships = requirement._audience().filter(user__is_active=True).select_related("user", "school")
    if school_ids is not None:
        memberships = memberships.filter(school_id__in=school_ids)
    if requirement.until is not None:
        # An earlier version was never asked of someone who joined after it was replaced.
        joined_before = timezone.localdate(requirement.until)
        memberships = memberships.filter(Q(started_on__isnull=True) | Q(started_on__lt=joined_before))
    people: dict[int, RegisterRow] = {}
    for m in memberships.order_by("user__last_name", "user__first_name", "user_id", "school__name"):
        user = m.user
        row = people.get(user.pk)
        if row is None:
            row = people[user.pk] = RegisterRow(user.pk, user.get_full_name() or user.email, user.email)
        if m.school_id and m.school.name not in row.schools:
            row.schools.append(m.school.name)
            row.school_ids.add(m.school_id)
        label = ROLE_LABELS.get(m.role, m.role)
        if label not in row.roles:
            row.roles.append(label)
            row.role_codes.add(m.role)
        if m.started_on and (row.joined_on is None or m.started_on < row.joined_on):
            row.joined_on = m.started_on
    receipts = _receipts(requirement, list(people))
    if requirement.kind != "Training":
        _page(requirement)
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in people.values():
        evidence = receipts.get(row.user_id)
        if evidence:
            row.status = PAPER if evidence["paper"] else ONLINE
            row.at, row.receipt_ref, row.receipt_hash = evidence["at"], evidence["ref"], evidence["hash"]
            row.signed_on = evidence.get("signed_on")
            row.recorded_by, row.paper_reason = evidence.get("recorded_by", ""), evidence.get("reason", "")
        else:
            row.due_on = _due(requirement, row.joined_on)
            row.status = NOT_YET_DUE if row.due_on and row.due_on >= today else OUTSTANDING
        counts[row.status] += 1
    return Register(requirement, version_text_sha256(requirement), list(people.values()), counts)


def filtered(register: Register, *, school_id=None, role=None, status=None) -> Register:
    rows = [
        r
        for r in register.rows
        if (school_id is None or school_id in r.school_ids)
        and (not role or role in r.role_codes)
        and (not status or r.status == status)
    ]
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for r in rows:
        counts[r.status] += 1
    return Register(register.requirement, register.text_sha256, rows, counts)
