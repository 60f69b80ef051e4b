from django.core.exceptions import ValidationError
from django.db import models

from ..enums import PlacementKind
from .scoped import ScopedQuerySet


class Placement(models.Model):
    """Where and with whom the child lives, from when: the history is the child's moves (newest first)."""

    case_path = "child"

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="placements")
    kind = models.CharField("type of placement", max_length=20, choices=PlacementKind.choices)
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date", null=True, blank=True, help_text="Set when the child moves on.")
    carer_name = models.CharField("carer", max_length=200, help_text="The carer's name, or the home's manager.")
    carer_email = models.EmailField("carer's email", blank=True)
    carer_phone = models.CharField("carer's phone", max_length=40, blank=True)
    provider = models.CharField(
        max_length=200, blank=True, help_text="The fostering agency or home, if any (for example Brightside Fostering)."
    )
    reason_for_move = models.CharField(
        "reason for the move", max_length=300, blank=True, help_text="Why the child moved to this placement."
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["child", "-starts_on", "-pk"]

    def __str__(self):
        return f"{self.child.display_name}: {self.get_kind_display()} from {self.starts_on:%-d %b %Y}"

    @property
    def is_current(self) -> bool:
        return self.ends_on is None

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The placement must end on or after the day it started."})
