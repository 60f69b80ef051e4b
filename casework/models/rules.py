from django.core.exceptions import ValidationError
from django.db import models

from trust.school_days import DayUnit

from ..enums import DeadlineKind

# The trust's defaults (DOMAIN.md): a school or a child's responsible LA may change the unit or count.
DEFAULT_RULES = {
    DeadlineKind.INITIAL_PEP: (20, DayUnit.SCHOOL),
    DeadlineKind.PEP_REVIEW: (0, DayUnit.SCHOOL),  # by the end of each term
    DeadlineKind.TRANSFER: (15, DayUnit.SCHOOL),
    DeadlineKind.REVIEW_REPORT: (5, DayUnit.SCHOOL),  # report sent this many days before the review
    DeadlineKind.CHILD_PROTECTION: (5, DayUnit.SCHOOL),  # in a holiday: the first 5 days of the new term
    # Care Planning, Placement and Case Review (England) Regulations 2010, reg 33: the first review within 20
    # working days of entering care (the second within 3 months, then every 6 months: review_schedule.py).
    DeadlineKind.STATUTORY_REVIEW: (20, DayUnit.WORKING),
}


class DeadlineRule(models.Model):
    """How many days, of which unit, a deadline allows. Most specific wins: the child's LA, the school, the trust."""

    kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    days = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=10, choices=DayUnit.choices, default=DayUnit.SCHOOL)
    school = models.ForeignKey("trust.School", null=True, blank=True, on_delete=models.CASCADE)
    local_authority = models.ForeignKey(
        "casework.LocalAuthority",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Set for a responsible LA's own rule (e.g. Gateshead counts working days).",
    )

    class Meta:
        ordering = ["kind", "school__name", "local_authority__name"]

    def __str__(self):
        where = self.local_authority or self.school or "the trust"
        return f"{self.get_kind_display()}: {self.days} {self.get_unit_display()} ({where})"

    def clean(self):
        if self.school_id and self.local_authority_id:
            raise ValidationError("A rule belongs to a school or to a local authority, not both.")
        same = DeadlineRule.objects.filter(
            kind=self.kind, school_id=self.school_id, local_authority_id=self.local_authority_id
        ).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError("There is already a rule for this deadline here: change that one instead.")
