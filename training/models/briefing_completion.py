from django.conf import settings
from django.db import models


class BriefingCompletion(models.Model):
    """One person has done one version of something the briefing asks of them: acknowledged a policy or
    guidance version (online or on paper: a `policy.ReadReceipt`) or completed a training module version
    (a `TrainingCompletion`).

    A derived index, not evidence: one row per receipt, written in the receipt's own transaction
    (training/briefing_completions.py), so the briefing report counts one narrow table joined on each
    page's current version number instead of looking up every person's receipts. A new version adds no
    rows (the report compares with the current number). It can always be rebuilt from the receipts.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    version_number = models.PositiveIntegerField()
    done_at = models.DateTimeField()
    on_paper = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "version_number", "user"], name="one_briefing_completion_per_person_and_version"
            )
        ]

    def __str__(self):
        return f"{self.user_id} did version {self.version_number} of page {self.page_id}"
