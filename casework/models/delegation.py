"""A designated teacher lets a named member of staff enter chosen sections of one child's PEP.

The DT stays accountable and signs off. A delegation always ends (`ends_on`), is withdrawn rather than
deleted, and goes with the child's record at the end of retention (casework/retention.py).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ..enums import DelegatedSection
from .scoped import ScopedQuerySet


class DelegationQuerySet(ScopedQuerySet):
    """`for_user`: the DT's own schools' delegations. `active`: the one rule (permissions.delegation_is_active)."""

    def active(self, today=None):
        from trust.enums import Role
        from trust.models import Membership

        today = today or timezone.localdate()
        staff_of_school = Membership.objects.current().filter(
            user=OuterRef("delegate_id"), school_id=OuterRef("child__school_id"), role=Role.STAFF
        )
        return self.filter(
            Q(child__left_on__isnull=True) | Q(child__left_on__gt=today),
            Exists(staff_of_school),
            withdrawn_at__isnull=True,
            ends_on__gte=today,
            delegate__is_active=True,
        )

    def with_in_force(self):
        """Each delegation with `in_force`: whether `active()` holds for it (one query for a whole list)."""
        return self.annotate(in_force=Exists(self.model.objects.active().filter(pk=OuterRef("pk"))))

    def of_delegate(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(delegate=user).active()


class Delegation(models.Model):
    case_path = "child"

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="delegations")
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="casework_delegations",
        help_text="A member of staff at the child's school.",
    )
    sections = models.JSONField(default=list, help_text="The parts of the PEP the delegate may enter.")
    ends_on = models.DateField(
        "ends on", help_text="The last day the delegate may enter anything: at most a year from today."
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    withdrawal_reason = models.TextField(
        blank=True, help_text="To withdraw the delegation now, say why. It cannot be undone: grant a new one."
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["child", "-granted_at"]

    def __str__(self):
        return (
            f"Delegation to {self.delegate.get_full_name() or self.delegate.email}"
            if self.delegate_id
            else "Delegation"
        )

    def section_labels(self) -> list[str]:
        return [label for value, label in DelegatedSection.choices if value in (self.sections or [])]

    def get_sections_display(self) -> str:
        return "; ".join(self.section_labels())

    def allows(self, section: str) -> bool:
        return section in (self.sections or [])

    def clean(self):
        from ..permissions import delegation_problems

        errors = delegation_problems(self)
        if errors:
            raise ValidationError(errors)

    def withdraw(self, user, reason: str) -> None:
        self.withdrawn_at, self.withdrawn_by, self.withdrawal_reason = timezone.now(), user, reason.strip()
        self.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])


def latest_end(today: datetime.date) -> datetime.date:
    """A delegation may run for a year at most."""
    from .children import _add_years

    return _add_years(today, 1)
