from django.conf import settings
from django.db import models
from django.utils import timezone

from trust.receipts import AppendOnlyReceipt


class TrainingCompletion(AppendOnlyReceipt):
    """The receipt for one person completing one version of a training module: which text they saw, when, and
    how they answered. One per person and version: a material change asks for a new one. Append-only and
    sealed (trust/receipts.py)."""

    seal_kind = "training.trainingcompletion"
    # What the seal covers, in this order, for good (migration training.0008 keeps a copy).
    seal_fields = (
        "user_id",
        "page_id",
        "revision_id",
        "version_number",
        "completed_at",
        "text_sha256",
        "answers",
        "roles_snapshot",
    )

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_completions")
    page = models.ForeignKey("training.TrainingModulePage", on_delete=models.PROTECT, related_name="completions")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    version_number = models.PositiveIntegerField(
        help_text="The module's version completed: a material change starts a new version to complete."
    )
    completed_at = models.DateTimeField(default=timezone.now, editable=False)
    text_sha256 = models.CharField("SHA-256 of the text shown", max_length=64)
    answers = models.JSONField(default=list, blank=True)
    roles_snapshot = models.JSONField(default=list, help_text="The person's roles and schools when they completed it.")

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "page", "version_number"], name="one_training_completion_per_person_and_version"
            )
        ]

    def __str__(self):
        return f"{self.user} completed {self.page_id} v{self.version_number} at {self.completed_at:%Y-%m-%d %H:%M}"


class TrainingAttempt(models.Model):
    """Every submission of a module's completion form, right or wrong."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attempts")
    page = models.ForeignKey("training.TrainingModulePage", on_delete=models.PROTECT, related_name="attempts")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.SET_NULL, null=True, related_name="+")
    attempted_at = models.DateTimeField(auto_now_add=True)
    answers = models.JSONField(default=list, blank=True)
    wrong_questions = models.JSONField(default=list, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-attempted_at"]
        indexes = [models.Index(fields=["user", "page"])]

    def __str__(self):
        return f"{self.user} attempt on {self.page_id} ({'passed' if self.succeeded else 'not passed'})"
