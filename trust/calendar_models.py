"""Each school's own calendar: terms (half terms are separate term parts), INSET and closure days.

A school day is a day inside one of the school's terms that is not a weekend, an England bank
holiday, an INSET day or a closure day (trust/school_days.py does the arithmetic).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models

__all__ = ["Term", "NonTeachingDay", "academic_year_of", "validate_academic_year"]

_YEAR_RE = re.compile(r"^(\d{4})/(\d{2})$")


def academic_year_of(day: datetime.date) -> str:
    """The English academic year a date falls in, 1 September to 31 August: "2026/27"."""
    return _year_starting(day.year if day.month >= 9 else day.year - 1)


def _year_starting(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def academic_year_bounds(year: str) -> tuple[datetime.date, datetime.date]:
    start = int(year[:4])
    return datetime.date(start, 9, 1), datetime.date(start + 1, 8, 31)


def academic_year_after(day: datetime.date) -> str:
    """The academic year after the one `day` falls in: 14 January 2027 -> "2027/28"."""
    return _year_starting(int(academic_year_of(day)[:4]) + 1)


def validate_academic_year(value: str) -> None:
    match = _YEAR_RE.match(value or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError("Write the academic year as, for example, 2026/27.")


class Term(models.Model):
    """One part of a school's year during which it holds sessions, e.g. "Autumn 1" (half terms are separate parts)."""

    school = models.ForeignKey("trust.School", on_delete=models.CASCADE, related_name="terms")
    academic_year = models.CharField(
        max_length=7, validators=[validate_academic_year], help_text="For example 2026/27."
    )
    name = models.CharField(max_length=50, help_text="For example Autumn 1, Autumn 2, Spring 1.")
    starts_on = models.DateField(help_text="The first day pupils attend (or an INSET day) in this part.")
    ends_on = models.DateField(help_text="The last day of this part, before the half term or holiday.")

    class Meta:
        ordering = ["school__name", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "starts_on"], name="one_term_part_per_school_start"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.academic_year} ({self.starts_on:%d %b %Y} to {self.ends_on:%d %b %Y})"

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                errors["ends_on"] = "The term must end on or after the day it starts."
            elif self.academic_year and not errors:
                try:
                    validate_academic_year(self.academic_year)
                except ValidationError:
                    pass
                else:
                    first, last = academic_year_bounds(self.academic_year)
                    if self.starts_on < first or self.ends_on > last:
                        errors["starts_on"] = (
                            f"{self.academic_year} runs from {first:%-d %B %Y} to {last:%-d %B %Y}: "
                            "the term's dates must fall inside it."
                        )
            if self.school_id and not errors:
                overlapping = Term.objects.filter(
                    school_id=self.school_id, starts_on__lte=self.ends_on, ends_on__gte=self.starts_on
                ).exclude(pk=self.pk)
                if overlapping.exists():
                    errors["starts_on"] = f"These dates overlap {overlapping.first()}."
        if errors:
            raise ValidationError(errors)


class NonTeachingDay(models.Model):
    """A day inside a term when pupils do not attend: an INSET (training) day or a closure."""

    class Kind(models.TextChoices):
        INSET = "inset", "INSET day"
        CLOSURE = "closure", "Closure day"

    school = models.ForeignKey("trust.School", on_delete=models.CASCADE, related_name="non_teaching_days")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INSET)
    reason = models.CharField(max_length=200, blank=True, help_text="For example: staff training, polling station.")

    class Meta:
        ordering = ["school__name", "date"]
        constraints = [models.UniqueConstraint(fields=["school", "date"], name="one_non_teaching_day_per_school_date")]
        verbose_name = "INSET or closure day"
        verbose_name_plural = "INSET and closure days"

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d %b %Y}"
