from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from trust.calendar_models import validate_academic_year

from ..enums import PEPStatus, TargetStatus, TermName
from .scoped import ScopedQuerySet

# Where a PEP may move next, and who may move it.
TRANSITIONS = {
    PEPStatus.DRAFT: {PEPStatus.IN_PROGRESS},
    PEPStatus.IN_PROGRESS: {PEPStatus.READY, PEPStatus.DRAFT},
    PEPStatus.READY: {PEPStatus.SIGNED_OFF, PEPStatus.IN_PROGRESS},
    PEPStatus.SIGNED_OFF: {PEPStatus.IN_PROGRESS},  # reopening: the designated teacher, with a reason
}
REOPEN = (PEPStatus.SIGNED_OFF, PEPStatus.IN_PROGRESS)

# The sign-off lock, in one place: a signed-off PEP, its SMART targets and their progress notes cannot be
# created, changed or deleted, whatever the path (admin, delegate, code), until it is reopened with a reason.
LOCKED_STATUS = PEPStatus.SIGNED_OFF
LOCKED_MESSAGE = "This PEP is signed off: reopen it with a reason before changing it."
# What the workflow itself writes (`move_to`): the only fields of a signed-off PEP that may still change.
WORKFLOW_FIELDS = frozenset({"status", "signed_off_by", "signed_off_at"})


class PEPLocked(ValidationError):
    """Raised by any save or delete of a signed-off PEP or a record that is part of it; a form shows it."""

    def __init__(self):
        super().__init__(LOCKED_MESSAGE, code="pep_locked")


class PEPQuerySet(ScopedQuerySet):
    def locked(self):
        return self.filter(status=LOCKED_STATUS)


class PartOfPEP:
    """A record that is part of a PEP: refused (PEPLocked) on clean, save and delete while that PEP, as
    stored, is signed off. `lock_query` says which PEPs: the one it belongs to now and the one it is
    stored under (a record cannot be moved out of, or into, a signed-off PEP)."""

    def lock_query(self) -> Q | None:
        raise NotImplementedError

    def refuse_if_locked(self):
        query = self.lock_query()
        if query is not None and PEP.objects.locked().filter(query).exists():
            raise PEPLocked

    def writes_only_workflow(self, update_fields) -> bool:
        return False

    def save(self, *args, **kwargs):
        if not self.writes_only_workflow(kwargs.get("update_fields")):
            self.refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_if_locked()
        return super().delete(*args, **kwargs)


def _any_of(**lookups) -> Q | None:
    """`Q(a=1) | Q(b=2)` over the lookups whose value is set (None would match PEPs with no such row)."""
    terms = [Q(**{name: value}) for name, value in lookups.items() if value is not None]
    if not terms:
        return None
    query = terms[0]
    for term in terms[1:]:
        query |= term
    return query


class PEP(PartOfPEP, models.Model):
    """The school's working copy of a child's Personal Education Plan for one term."""

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="peps")
    academic_year = models.CharField(
        max_length=7, validators=[validate_academic_year], help_text="For example 2026/27."
    )
    term = models.CharField(max_length=10, choices=TermName.choices)
    period_starts_on = models.DateField(help_text="The first day this PEP covers.")
    period_ends_on = models.DateField(help_text="The last day this PEP covers: targets are due by then.")
    status = models.CharField(max_length=16, choices=PEPStatus.choices, default=PEPStatus.DRAFT, editable=False)
    due_on = models.DateField(null=True, blank=True, editable=False, help_text="Worked out from the school's calendar.")
    meeting_date = models.DateField(null=True, blank=True)
    attendees = models.TextField(blank=True, help_text="Who attended the PEP meeting, one a line, with their role.")
    childs_views = models.TextField("child's views", blank=True)
    carers_views = models.TextField("carer's views", blank=True)
    education_history = models.TextField(blank=True, help_text="Schools, attendance, conduct, achievements, SEN.")
    attainment = models.TextField(blank=True)
    attendance_percent = models.DecimalField(
        "attendance (%)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    ppplus_requested = models.DecimalField("PP+ requested (£)", max_digits=8, decimal_places=2, default=Decimal(0))
    ppplus_spent = models.DecimalField("PP+ spent (£)", max_digits=8, decimal_places=2, default=Decimal(0))
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PEPQuerySet.as_manager()

    class Meta:
        ordering = ["child", "-period_starts_on"]
        verbose_name = "PEP"
        verbose_name_plural = "PEPs"
        constraints = [
            models.UniqueConstraint(fields=["child", "academic_year", "term"], name="one_pep_per_child_term")
        ]

    def __str__(self):
        return f"{self.child.display_name}: {self.term_label}"

    def save(self, *args, **kwargs):
        if not kwargs.get("update_fields"):
            self.due_on = self.compute_due_on()
        super().save(*args, **kwargs)

    @property
    def term_label(self) -> str:
        """The PEP without the child ("PEP Autumn 2026/27"), for places that already name the child."""
        return f"PEP {self.get_term_display()} {self.academic_year}"

    @property
    def is_locked(self) -> bool:
        """Signed off: nothing in it may change until the designated teacher reopens it with a reason."""
        return self.status == LOCKED_STATUS

    def lock_query(self):
        return _any_of(pk=self.pk)

    def next_statuses(self) -> list[PEPStatus]:
        """Where the workflow lets this PEP move now, in the workflow's order."""
        return [status for status in PEPStatus if status in TRANSITIONS[self.status]]

    def writes_only_workflow(self, update_fields) -> bool:
        """The workflow (move_to) alone may still move a signed-off PEP (to reopen it)."""
        return bool(update_fields) and set(update_fields) <= WORKFLOW_FIELDS

    def compute_due_on(self):
        """From the deadline engine; None when the school has no term dates for the year (shown as an error)."""
        from trust.school_days import MissingTermDates

        from ..deadlines import DeadlineEngine

        try:
            return DeadlineEngine.for_school(self.child.school).pep_due(self, self.child)
        except MissingTermDates:
            return None

    def clean(self):
        self.refuse_if_locked()
        if self.period_starts_on and self.period_ends_on and self.period_ends_on < self.period_starts_on:
            raise ValidationError({"period_ends_on": "The PEP's period must end on or after the day it starts."})

    @property
    def ppplus_spent_against_targets(self) -> Decimal:
        return sum((t.ppplus_allocated for t in self.targets.all()), Decimal(0))

    def move_to(self, status: str, user, reason: str = "") -> "PEPStatusChange":
        """Move the PEP on its workflow. Sending back and reopening need a reason; only the school's DT signs
        off or reopens. Reopening keeps the status history (the earlier sign-off stays in it) and clears the
        PEP's current sign-off, so signing off again records a new time."""
        from trust.access import has_role
        from trust.enums import Role

        if status not in TRANSITIONS[self.status]:
            raise ValidationError(
                f"A PEP that is {self.get_status_display().lower()} cannot move to {PEPStatus(status).label.lower()}."
            )
        going_back = (self.status, status) in {
            (PEPStatus.READY, PEPStatus.IN_PROGRESS),
            (PEPStatus.IN_PROGRESS, PEPStatus.DRAFT),
        }
        reopening = (self.status, status) == REOPEN
        if going_back and not reason.strip():
            raise ValidationError(
                "Say why the PEP is being sent back, so the person who wrote it knows what to change."
            )
        if reopening and not reason.strip():
            raise ValidationError("Say why the PEP is being reopened: the reason is kept in its status history.")
        is_dt = has_role(user, Role.DESIGNATED_TEACHER, school=self.child.school_id)
        if status == PEPStatus.SIGNED_OFF and not is_dt:
            raise ValidationError("Only the school's designated teacher can sign off a PEP.")
        if reopening and not is_dt:
            raise ValidationError("Only the school's designated teacher can reopen a signed-off PEP.")
        with transaction.atomic():
            change = PEPStatusChange.objects.create(
                pep=self, from_status=self.status, to_status=status, changed_by=user, reason=reason.strip()
            )
            self.status = status
            if status == PEPStatus.SIGNED_OFF:
                self.signed_off_by, self.signed_off_at = user, change.changed_at
            if reopening:
                self.signed_off_by, self.signed_off_at = None, None  # the history keeps who signed off, and when
            self.save(update_fields=["status", "signed_off_by", "signed_off_at"])
        return change


class PEPStatusChange(models.Model):
    pep = models.ForeignKey(PEP, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=PEPStatus.choices)
    to_status = models.CharField(max_length=16, choices=PEPStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["pep", "changed_at"]

    def __str__(self):
        return f"{self.get_from_status_display()} to {self.get_to_status_display()}"


class TargetQuerySet(ScopedQuerySet):
    school_path = "pep__child__school_id"


SMART_PARTS = {
    "area": "Say which area the target is about (Specific).",
    "what": "Say what the child will do (Specific).",
    "how_measured": "Say how progress will be measured (Measurable).",
    "baseline": "Give the starting point, so progress can be seen (Measurable).",
    "target": "Give the level the child should reach (Achievable).",
    "who": "Say who will make it happen (Relevant: an owner).",
    "by_when": "Give the date it should be met by (Time-bound).",
}


class Target(PartOfPEP, ClusterableModel):
    """A SMART target in a PEP."""

    pep = models.ForeignKey(PEP, on_delete=models.CASCADE, related_name="targets")
    area = models.CharField(max_length=100, blank=True, help_text="For example: reading, attendance, friendships.")
    what = models.TextField("what the child will do", blank=True)
    how_measured = models.TextField("how it will be measured", blank=True)
    baseline = models.CharField("starting point", max_length=200, blank=True)
    target = models.CharField("level to reach", max_length=200, blank=True)
    by_when = models.DateField("by when", null=True, blank=True)
    who = models.CharField("who will make it happen", max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=TargetStatus.choices, default=TargetStatus.NOT_STARTED)
    ppplus_allocated = models.DecimalField("PP+ allocated (£)", max_digits=8, decimal_places=2, default=Decimal(0))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Set when a delegate entered the target (delegated entry).",
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["pep", "by_when"]

    def __str__(self):
        # Named with the child and the term: a chooser or list never shows two children's targets alike.
        what = f"target: {self.area}" if self.area else "target"
        return f"{self.pep.child.display_name}, {self.pep.get_term_display()} {self.pep.academic_year} {what}"

    @property
    def child(self):
        return self.pep.child

    @property
    def is_locked(self) -> bool:
        return self.pep.is_locked

    def lock_query(self):
        return _any_of(pk=self.pep_id, targets__pk=self.pk)

    def clean(self):
        self.refuse_if_locked()
        errors = {}
        for name, message in SMART_PARTS.items():
            value = getattr(self, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                errors[name] = message
        if self.by_when and self.pep_id:
            pep = self.pep
            if not pep.period_starts_on <= self.by_when <= pep.period_ends_on:
                errors["by_when"] = (
                    f"The date must fall inside the PEP's period, {pep.period_starts_on:%-d %B %Y} "
                    f"to {pep.period_ends_on:%-d %B %Y}."
                )
        if errors:
            raise ValidationError(errors)

    def is_past_date(self, today) -> bool:
        return bool(
            self.by_when
            and self.by_when < today
            and self.status not in (TargetStatus.ACHIEVED, TargetStatus.NOT_ACHIEVED)
        )


class TargetProgress(PartOfPEP, models.Model):
    target = ParentalKey(Target, on_delete=models.CASCADE, related_name="progress_notes")
    noted_on = models.DateField(default=timezone.localdate)
    note = models.TextField()
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["target", "noted_on"]
        verbose_name_plural = "target progress notes"

    def __str__(self):
        return f"Progress note {self.noted_on:%d %b %Y}"

    def lock_query(self):
        return _any_of(targets__pk=self.target_id, targets__progress_notes__pk=self.pk)

    def clean(self):
        self.refuse_if_locked()
