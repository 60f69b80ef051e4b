from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .scoped import ScopedQuerySet


class SharedRecommendationQuerySet(ScopedQuerySet):
    def active(self, today=None):
        """Shares still in force: not withdrawn, and the child has not left."""
        today = today or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True).filter(
            Q(pep__child__left_on__isnull=True) | Q(pep__child__left_on__gt=today)
        )


class SharedRecommendation(models.Model):
    """A PEP recommendation shared with a named member of staff, who sees only it and the child's preferred name."""

    case_path = "pep__child"

    pep = models.ForeignKey("casework.PEP", on_delete=models.CASCADE, related_name="shared_recommendations")
    recommendation = models.TextField(help_text="What the member of staff should do, in plain words.")
    shared_with = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    shared_at = models.DateTimeField(default=timezone.now, editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="Set to stop sharing.")

    objects = SharedRecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["pep", "shared_at"]

    def __str__(self):
        pep = self.pep
        return f"{pep.child.display_name}, {pep.get_term_display()} {pep.academic_year}: recommendation shared {self.shared_at:%d %b %Y}"

    @property
    def child(self):
        return self.pep.child
