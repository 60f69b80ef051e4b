"""What happened to acknowledgeable pages: each publication, each read receipt, each attempt.

`ReadReceipt` is append-only: the model refuses updates and deletes, and on PostgreSQL triggers
refuse them (and TRUNCATE) in the database too, whatever the session sets (trust/evidence_db.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from trust.evidence_seal import seal_matches, seal_of
from trust.page_versions import PageVersion

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


class ReceiptQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ReadReceipt.AppendOnly("Read receipts cannot be changed.")

    def delete(self):
        raise ReadReceipt.AppendOnly("Read receipts cannot be deleted.")

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for receipt in objs:
            receipt.seal = receipt.compute_seal()
        return super().bulk_create(objs, *args, **kwargs)


SEAL_KIND = "policy.readreceipt"


def receipt_seal_values(receipt) -> list:
    """What a read receipt's seal covers (trust/evidence_seal.py); migration policy.0004 keeps a copy."""
    return [
        receipt.user_id,
        receipt.page_id,
        receipt.revision_id,
        receipt.version_id,
        receipt.version_number,
        receipt.acknowledged_at,
        receipt.text_sha256,
        receipt.answers,
        receipt.memberships_snapshot,
        receipt.on_paper,
        receipt.signed_on,
        receipt.recorded_by_id,
        receipt.on_paper_reason,
    ]


class ReadReceipt(models.Model):
    """A person's acknowledgement of one version of a page. Append-only; one per person and version."""

    class AppendOnly(Exception):
        pass

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
    seal = models.CharField(
        max_length=64, editable=False, help_text="HMAC-SHA256 of the receipt under the evidence key, set once."
    )

    objects = ReceiptQuerySet.as_manager()
    append_only_evidence = True  # the database refuses UPDATE, DELETE and TRUNCATE too (trust/evidence_db.py)

    class Meta:
        ordering = ["-acknowledged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "page", "version_number"], name="one_receipt_per_person_and_version")
        ]

    def __str__(self):
        return f"{self.user} acknowledged version {self.version_number} of page {self.page_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.AppendOnly("Read receipts cannot be changed.")
        self.seal = self.compute_seal()
        return super().save(*args, **kwargs)

    def compute_seal(self) -> str:
        return seal_of(SEAL_KIND, receipt_seal_values(self))

    def has_valid_seal(self) -> bool:
        return seal_matches(self.seal, SEAL_KIND, receipt_seal_values(self))

    def delete(self, *args, **kwargs):
        raise self.AppendOnly("Read receipts cannot be deleted.")


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
