"""Suspensions and permanent exclusions, on the child's record (every virtual school asks about them each term)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from .scoped import ScopedQuerySet


class ExclusionKind(models.TextChoices):
    SUSPENSION = "suspension", "Suspension (fixed period)"
    PERMANENT = "permanent", "Permanent exclusion"


class Suspension(models.Model):
    case_path = "child"

    child = models.ForeignKey("casework.Child", on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField(max_length=10, choices=ExclusionKind.choices, default=ExclusionKind.SUSPENSION)
    starts_on = models.DateField("first day")
    length_days = models.DecimalField(
        "length (school days)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text="In school days; a lunchtime or half day is 0.5. Not needed for a permanent exclusion.",
    )
    reason = models.TextField(help_text="The reason given in the head teacher's letter.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["child", "-starts_on"]
        verbose_name = "suspension or exclusion"
        verbose_name_plural = "suspensions and exclusions"

    def __str__(self):
        return f"{self.get_kind_display()} from {self.starts_on:%-d %b %Y}"

    def clean(self):
        if self.kind == ExclusionKind.SUSPENSION and self.length_days is None:
            raise ValidationError({"length_days": "Give the suspension's length in school days, for example 2 or 0.5."})
        if self.length_days is not None and self.length_days % Decimal("0.5"):
            raise ValidationError({"length_days": "Give the length in whole or half days, for example 1.5."})
        if not (self.reason or "").strip():
            raise ValidationError({"reason": "Give the reason, as the head teacher's letter states it."})
