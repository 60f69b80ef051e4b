"""What happened to acknowledgeable pages: each publication, each read receipt, each attempt.

`ReadReceipt` is append-only and sealed (trust/receipts.py): the model refuses updates and deletes, and on
PostgreSQL triggers refuse them (and TRUNCATE) in the database too, whatever the session sets.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from trust.page_versions import PageVersion
from trust.receipts import AppendOnlyReceipt

from ..enums import AttemptOutcome


class PolicyVersion(PageVersion):
    """One publication of an acknowledgeable page, pointing at the exact revision published.

    A material change starts a new version number (everyone in the audience acknowledges again); a
    minor correction keeps the number (acknowledgements stand).
    """

    minor_name = "minor correction"

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="policy_versions")
    revision = models.OneToOneField(
        "wagtailcore.Revision", on_delete=models.PROTECT, related_name="policy_version"
    )


class ReadReceipt(AppendOnlyReceipt):
    """A person's acknowledgement of one version of a page. Append-only; one per person and version."""

    seal_kind = "policy.readreceipt"
    # What the seal covers, in this order, for good (migration policy.0004 keeps a copy).
    seal_fields = (
        "user_id",
        "page_id",
        "revision_id",
        "version_id",
        "version_number",
        "acknowledged_at",
        "text_sha256",
        "answers",
        "memberships_snapshot",
        "on_paper",
        "signed_on",
        "recorded_by_id",
        "on_paper_reason",
    )

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="read_receipts")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="read_receipts")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="read_receipts")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="receipts")
    version_number = models.PositiveIntegerField()
    acknowledged_at = models.DateTimeField(default=timezone.now)
    text_sha256 = models.CharField("SHA-256 of the text shown", max_length=64)
    answers = models.JSONField(default=list, blank=True)
    memberships_snapshot = models.JSONField(default=list, help_text="The person's schools and roles at the time.")
    on_paper = models.BooleanField(default=False)
    signed_on = models.DateField(null=True, blank=True, help_text="For a paper acknowledgement: the date signed.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_paper_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-acknowledged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "page", "version_number"], name="one_receipt_per_person_and_version")
        ]

    def __str__(self):
        return f"{self.user} acknowledged version {self.version_number} of page {self.page_id}"


class AcknowledgementAttempt(models.Model):
    """Every try at acknowledging, right or wrong, kept as evidence."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    version_number = models.PositiveIntegerField()
    attempted_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=16, choices=AttemptOutcome.choices)
    answers = models.JSONField(default=list, blank=True)
    wrong_questions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-attempted_at", "-pk"]

    def __str__(self):
        return f"{self.user} – {self.get_outcome_display()} – {self.attempted_at:%d %B %Y %H:%M}"
