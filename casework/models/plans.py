from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ..enums import PlanKind, ReviewKind
from .scoped import ScopedQuerySet


class LinkedPlan(models.Model):
    """Another plan the child has (Care Plan, IEP, PSP, EHCP), with its date, reference and a copy."""

    case_path = "child"

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="linked_plans")
    kind = models.CharField(max_length=16, choices=PlanKind.choices)
    other_kind = models.CharField(max_length=100, blank=True, help_text="Name the plan when it is 'Other'.")
    dated = models.DateField("date of the plan")
    reference = models.CharField(max_length=100, blank=True)
    document = models.ForeignKey(
        "casework.CaseDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["child", "-dated"]

    def __str__(self):
        return f"{self.child.display_name}: {self.other_kind or self.get_kind_display()} ({self.dated:%d %b %Y})"

    def clean(self):
        if self.kind == PlanKind.OTHER and not self.other_kind.strip():
            raise ValidationError({"other_kind": "Name the plan."})
        if self.document_id and self.child_id and self.document.child_id != self.child_id:
            raise ValidationError({"document": "Choose one of this child's documents."})


class Review(models.Model):
    """A review of the child's care or plans. Every review needs a school report sent or a representative."""

    case_path = "child"

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=16, choices=ReviewKind.choices)
    held_on = models.DateField("date of the review")
    report_sent_on = models.DateField("report sent on", null=True, blank=True)
    report_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report_document = models.ForeignKey(
        "casework.CaseDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    representative = models.CharField(
        "school representative attending", max_length=200, blank=True, help_text="Name and role."
    )
    outcome = models.TextField(blank=True)
    next_review_on = models.DateField("next review", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["child", "held_on"]

    def __str__(self):
        return f"{self.child.display_name}: {self.get_kind_display()} {self.held_on:%d %b %Y}"

    @property
    def is_covered(self) -> bool:
        """A report has been sent or someone from school is going."""
        return bool(self.report_sent_on or self.representative.strip())

    def clean(self):
        errors = {}
        if self.next_review_on and self.held_on and self.next_review_on <= self.held_on:
            errors["next_review_on"] = "The next review must come after this one."
        if self.report_document_id and self.child_id and self.report_document.child_id != self.child_id:
            errors["report_document"] = "Choose one of this child's documents."
        if errors:
            raise ValidationError(errors)


class Activity(models.Model):
    """Out-of-hours learning: clubs, tuition, trips."""

    case_path = "child"

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="activities")
    activity = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    attendance = models.CharField(max_length=200, blank=True, help_text="For example: 9 of 10 sessions.")
    ppplus_funded = models.BooleanField("funded by PP+", default=False)
    target = models.ForeignKey(
        "casework.Target", null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Set when a delegate entered the activity (delegated entry).",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["child", "-starts_on"]
        verbose_name_plural = "out-of-hours activities"
        verbose_name = "out-of-hours activity"

    def __str__(self):
        return f"{self.child.display_name}: {self.activity}"

    def clean(self):
        errors = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The activity must end on or after the day it starts."
        if self.target_id and self.child_id and self.target.pep.child_id != self.child_id:
            errors["target"] = "Choose one of this child's targets."
        if errors:
            raise ValidationError(errors)
