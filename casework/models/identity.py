from django.conf import settings
from django.db import models
from django.utils import timezone

from ..enums import IdentityChangeReason


class IdentityChange(models.Model):
    """A child's former legal name and UPN, kept when either changes (adoption can bring both).

    Written by Child.save; shown only on the child's own page (to their designated teacher) and in the
    subject access export. Its str() holds no name or UPN, so it can never leak into a log or a list.
    """

    case_path = "child"

    child = models.ForeignKey("casework.Child", on_delete=models.CASCADE, related_name="identity_history")
    previous_legal_first_name = models.CharField(max_length=100)
    previous_legal_last_name = models.CharField(max_length=100)
    previous_upn = models.CharField("previous UPN", max_length=13, blank=True, db_index=True)
    effective_on = models.DateField(help_text="The day the change took effect, e.g. the adoption order's date.")
    reason = models.CharField(max_length=32, choices=IdentityChangeReason.choices, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["child", "effective_on", "recorded_at"]

    def __str__(self):
        return f"{self.get_reason_display() or 'Change'} from {self.effective_on:%d %b %Y}"

    @property
    def previous_legal_name(self) -> str:
        return f"{self.previous_legal_first_name} {self.previous_legal_last_name}"
