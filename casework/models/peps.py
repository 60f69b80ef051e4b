from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
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


PERSISTENT_ABSENCE_BELOW = Decimal(90)
CHILDS_VOICE_FIELDS = ("voice_going_well", "voice_worries", "voice_hopes", "voice_helps_me_learn", "childs_views")
NEEDS_COMPLETE_PEP = (PEPStatus.READY, PEPStatus.SIGNED_OFF)


def attendance_percent(possible: int | None, attended: int | None) -> Decimal | None:
    if not possible or attended is None:
        return None
    return (Decimal(attended) * 100 / Decimal(possible)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class SignOffRefused(ValidationError):
    """The PEP lacks what ready for sign-off and signed off need: one plain message per missing part."""

    def __init__(self, problems: list[str]):
        super().__init__(problems, code="pep_incomplete")


class PEP(PartOfPEP, ClusterableModel):
    """The school's working copy of a child's Personal Education Plan for one term."""

    case_path = "child"

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
    # The child's voice, in the sections virtual schools' ePEPs use.
    voice_going_well = models.TextField("what is going well", blank=True)
    voice_worries = models.TextField("what worries me", blank=True)
    voice_hopes = models.TextField("my hopes and goals", blank=True)
    voice_helps_me_learn = models.TextField("what helps me learn", blank=True)
    childs_views = models.TextField("anything else the child wants to say", blank=True)
    carers_views = models.TextField("carer's views", blank=True)
    # The Care Planning, Placement and Case Review (England) Regulations 2010, Schedule 1 para 2.
    education_history = models.TextField(blank=True, help_text="Schools, attendance, conduct, achievements, SEN.")
    current_arrangements = models.TextField(
        "current educational arrangements",
        blank=True,
        help_text="School, year group, timetable, any part-time or alternative provision.",
    )
    sen_provision = models.TextField(
        "SEN provision", blank=True, help_text="What is in place for special educational needs, or 'None'."
    )
    planned_changes = models.TextField(
        "planned changes", blank=True, help_text="A move of school or placement, a new provision, or 'None planned'."
    )
    minimising_disruption = models.TextField(
        "how disruption is minimised",
        blank=True,
        help_text="What keeps the child's education steady through the changes.",
    )
    leisure_interests = models.TextField("leisure interests", blank=True, help_text="Clubs, hobbies, sport, music.")
    carers_role = models.TextField(
        "the carer's role", blank=True, help_text="How the carer supports learning: reading, homework, meetings."
    )
    attainment = models.TextField(blank=True)
    # Attendance in sessions (a morning or an afternoon), as schools' registers count it.
    sessions_possible = models.PositiveIntegerField(
        "sessions possible",
        null=True,
        blank=True,
        help_text="Sessions (mornings and afternoons) the school was open to the child.",
    )
    sessions_attended = models.PositiveIntegerField("sessions attended", null=True, blank=True)
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
        self.refuse_incomplete_move()
        super().save(*args, **kwargs)
        if not kwargs.get("update_fields") and not self.is_locked:
            self.list_previous_targets_for_evaluation()

    def refuse_incomplete_move(self):
        """The sign-off rule, whatever the path: a PEP becomes ready for sign-off or signed off only when
        complete. Checked when the status saved differs from the one stored (or the PEP is new)."""
        if self.status not in NEEDS_COMPLETE_PEP:
            return
        stored = PEP.objects.filter(pk=self.pk).values_list("status", flat=True).first() if self.pk else None
        if stored == self.status:
            return
        problems = self.sign_off_problems()
        if problems:
            raise SignOffRefused(problems)

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
        errors = {}
        if self.period_starts_on and self.period_ends_on and self.period_ends_on < self.period_starts_on:
            errors["period_ends_on"] = "The PEP's period must end on or after the day it starts."
        possible, attended = self.sessions_possible, self.sessions_attended
        if (possible is None) != (attended is None):
            missing = "sessions_attended" if attended is None else "sessions_possible"
            errors[missing] = "Give both the sessions possible and the sessions attended, or neither."
        elif possible is not None and possible == 0:
            errors["sessions_possible"] = "Sessions possible must be at least 1 (a school day is 2 sessions)."
        elif possible is not None and attended > possible:
            errors["sessions_attended"] = (
                f"Sessions attended ({attended}) cannot be more than the sessions possible ({possible})."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def attendance_percent(self) -> Decimal | None:
        """Attended ÷ possible, to one decimal place; None until both are recorded."""
        return attendance_percent(self.sessions_possible, self.sessions_attended)

    @property
    def is_persistently_absent(self) -> bool:
        """Below 90% attendance: the DfE's persistent absence threshold."""
        percent = self.attendance_percent
        return percent is not None and percent < PERSISTENT_ABSENCE_BELOW

    def suspensions_in_period(self):
        """The child's suspensions and exclusions that start within this PEP's period."""
        return self.child.suspensions.filter(starts_on__range=(self.period_starts_on, self.period_ends_on))

    @property
    def has_childs_views(self) -> bool:
        return any(getattr(self, name).strip() for name in CHILDS_VOICE_FIELDS)

    def previous_pep(self) -> "PEP | None":
        """The child's PEP before this one (by the period it covers)."""
        if not (self.child_id and self.period_starts_on):
            return None
        earlier = PEP.objects.filter(child_id=self.child_id, period_starts_on__lt=self.period_starts_on)
        return earlier.exclude(pk=self.pk).order_by("-period_starts_on").first()

    def list_previous_targets_for_evaluation(self):
        """When a PEP starts (and on each save, should a row have been removed), list each target of the
        previous PEP for evaluation (met / partly met / not met). Rows already there are kept."""
        previous = self.previous_pep()
        if previous is None:
            return
        have = set(PreviousTargetEvaluation.objects.filter(pep=self).values_list("target_id", flat=True))
        for target in previous.targets.exclude(pk__in=have).order_by("by_when", "pk"):
            PreviousTargetEvaluation.objects.create(
                pep=self, target=target, target_summary=PreviousTargetEvaluation.summarise(target)
            )

    def sign_off_problems(self) -> list[str]:
        from .sign_off import sign_off_problems

        return sign_off_problems(self)

    @cached_property
    def ppplus(self):
        """Requested, approved, allocated and spent PP+ for this PEP (casework/pp_plus.py), once per instance."""
        from ..pp_plus import summarise

        return summarise(self)

    @property
    def ppplus_requested(self) -> Decimal:
        return self.ppplus.requested

    @property
    def ppplus_spent(self) -> Decimal:
        return self.ppplus.spent

    @property
    def ppplus_spent_against_targets(self) -> Decimal:
        return self.ppplus.allocated

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
        if status in NEEDS_COMPLETE_PEP and (problems := self.sign_off_problems()):
            raise SignOffRefused(problems)
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
    case_path = "pep__child"

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

    case_path = "pep__child"

    pep = models.ForeignKey(PEP, on_delete=models.CASCADE, related_name="targets")
    area = models.CharField(max_length=100, blank=True, help_text="For example: reading, attendance, friendships.")
    what = models.TextField("what the child will do", blank=True)
    how_measured = models.TextField("how it will be measured", blank=True)
    baseline = models.CharField("starting point", max_length=200, blank=True)
    target = models.CharField("level to reach", max_length=200, blank=True)
    by_when = models.DateField("by when", null=True, blank=True)
    who = models.CharField("who will make it happen", max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=TargetStatus.choices, default=TargetStatus.NOT_STARTED)
    ppplus_allocated = models.DecimalField(
        "PP+ allocated (£)",
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Pupil Premium Plus set aside for this target.",
    )
    ppplus_spent = models.DecimalField(
        "PP+ spent (£)",
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Pupil Premium Plus spent on this target so far.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Set when a delegate entered the target (delegated entry).",
    )

    objects = ScopedQuerySet.as_manager()

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
    case_path = "target__pep__child"

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


class EvaluationOutcome(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


class PreviousTargetEvaluation(PartOfPEP, models.Model):
    """A target of the child's previous PEP, evaluated in this one (listed when this PEP starts)."""

    case_path = "pep__child"

    pep = ParentalKey(PEP, on_delete=models.CASCADE, related_name="previous_target_evaluations")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="evaluations")
    target_summary = models.TextField("previous target", editable=False, blank=True)
    outcome = models.CharField(max_length=12, choices=EvaluationOutcome.choices, blank=True)
    note = models.TextField(blank=True, help_text="What the evidence shows, and what carries on into this PEP.")

    class Meta:
        ordering = ["pep", "target__by_when", "target_id"]
        constraints = [models.UniqueConstraint(fields=["pep", "target"], name="one_evaluation_per_previous_target")]

    def __str__(self):
        return f"Evaluation of {self.target}"

    @staticmethod
    def summarise(t: Target) -> str:
        """The target as it was set, kept on the row (the admin's form shows it read-only)."""
        by_when = f" by {t.by_when:%-d %b %Y}" if t.by_when else ""
        return f"{t.area}: {t.what} ({t.baseline} → {t.target}{by_when}; {t.who})"

    def lock_query(self):
        return _any_of(pk=self.pep_id, previous_target_evaluations__pk=self.pk)

    def clean(self):
        self.refuse_if_locked()
        if self.target_id is None:
            raise ValidationError(
                "This list holds the previous PEP's targets only: add this PEP's targets under SMART targets."
            )
