"""Pupil Premium Plus: the rate per financial year (data the trust administrator keeps) and each PEP's termly
request to the responsible local authority's virtual school, with its answer. What is spent is on the targets
(`Target.ppplus_allocated`, `Target.ppplus_spent`); the arithmetic is casework/pp_plus.py."""

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from .scoped import ScopedQuerySet

FINANCIAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def validate_financial_year(value: str):
    match = FINANCIAL_YEAR.match(value or "")
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValidationError("Give the financial year as, for example, 2025-26 (April 2025 to March 2026).")


def financial_year_of(day: datetime.date) -> str:
    """April to March: 14 January 2027 is in 2026-27."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


class PPPlusRate(models.Model):
    """The PP+ grant a looked-after child attracts in one financial year (DfE conditions of grant)."""

    financial_year = models.CharField(
        max_length=7, unique=True, validators=[validate_financial_year], help_text="For example 2025-26."
    )
    amount_per_child = models.DecimalField(
        "amount per child (£)", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    source = models.CharField(max_length=300, blank=True, help_text="Where the rate is published.")

    class Meta:
        ordering = ["-financial_year"]
        verbose_name = "PP+ rate"
        verbose_name_plural = "PP+ rates"

    def __str__(self):
        return f"PP+ {self.financial_year}: £{self.amount_per_child:,.2f}"


class PPPlusAnswer(models.TextChoices):
    AWAITING = "awaiting", "Awaiting an answer"
    APPROVED = "approved", "Approved in full"
    PART = "part", "Part approved"
    REFUSED = "refused", "Refused"


class PPPlusRequest(models.Model):
    """The school's termly PP+ request for one PEP to the child's responsible LA's virtual school, and its answer.
    Not locked by sign-off: the virtual school often answers after the PEP is signed off."""

    case_path = "pep__child"

    pep = models.ForeignKey("casework.PEP", on_delete=models.CASCADE, related_name="ppplus_requests")
    local_authority = models.ForeignKey(
        "casework.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="+",
        blank=True,
        help_text="The responsible local authority's virtual school. Left empty: the child's responsible authority.",
    )
    requested_on = models.DateField()
    amount_requested = models.DecimalField(
        "amount requested (£)", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    purpose = models.TextField("what it is for", help_text="The targets and the provision it pays for.")
    answer = models.CharField(max_length=10, choices=PPPlusAnswer.choices, default=PPPlusAnswer.AWAITING)
    answered_on = models.DateField(null=True, blank=True)
    amount_approved = models.DecimalField(
        "amount approved (£)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Left empty when approved in full: the amount requested.",
    )
    answer_note = models.TextField("the virtual school's note", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pep", "requested_on"]
        verbose_name = "PP+ request"
        verbose_name_plural = "PP+ requests"

    def __str__(self):
        return f"PP+ request £{self.amount_requested:,.2f} ({self.get_answer_display().lower()})"

    @property
    def child(self):
        return self.pep.child

    def clean(self):
        errors = {}
        if not self.local_authority_id and self.pep_id:
            self.local_authority_id = self.pep.child.responsible_authority_id
            if not self.local_authority_id:
                errors["local_authority"] = "Choose the local authority: the child has no responsible authority."
        requested, approved = self.amount_requested, self.amount_approved
        if self.answer == PPPlusAnswer.AWAITING:
            if approved is not None or self.answered_on:
                errors["answer"] = "Choose the virtual school's answer, or clear the answer's date and amount."
        else:
            if not self.answered_on:
                errors["answered_on"] = "Give the date the virtual school answered."
            elif self.requested_on and self.answered_on < self.requested_on:
                errors["answered_on"] = "The answer cannot be dated before the request."
            if self.answer == PPPlusAnswer.APPROVED:
                if approved is None:
                    self.amount_approved = requested
                elif requested is not None and approved != requested:
                    errors["amount_approved"] = "Approved in full is the amount requested: choose part approved."
            elif self.answer == PPPlusAnswer.PART:
                if approved is None or approved <= 0:
                    errors["amount_approved"] = "Give the amount the virtual school approved."
                elif requested is not None and approved >= requested:
                    errors["amount_approved"] = "A part approval is less than the amount requested."
            elif self.answer == PPPlusAnswer.REFUSED:
                if approved:
                    errors["amount_approved"] = "A refused request approves nothing: leave the amount empty."
                self.amount_approved = Decimal(0)
        if errors:
            raise ValidationError(errors)

    @property
    def approved(self) -> Decimal | None:
        """What the virtual school approved; None while it has not answered."""
        if self.answer == PPPlusAnswer.AWAITING:
            return None
        if self.answer == PPPlusAnswer.APPROVED and self.amount_approved is None:
            return self.amount_requested
        return self.amount_approved or Decimal(0)
