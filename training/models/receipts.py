from django.conf import settings
from django.db import models
from django.utils import timezone

from trust.evidence_seal import seal_matches, seal_of


class AppendOnlyError(Exception):
    """A training receipt is evidence: once written it is never changed or removed."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Training receipts cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Training receipts cannot be deleted.")

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for completion in objs:
            completion.seal = completion.compute_seal()
        return super().bulk_create(objs, *args, **kwargs)


SEAL_KIND = "training.trainingcompletion"


def completion_seal_values(completion) -> list:
    """What a training completion's seal covers (trust/evidence_seal.py); migration training.0008 keeps a copy."""
    return [
        completion.user_id,
        completion.page_id,
        completion.revision_id,
        completion.version_number,
        completion.completed_at,
        completion.text_sha256,
        completion.answers,
        completion.roles_snapshot,
    ]


class TrainingCompletion(models.Model):
    """The receipt for one person completing one version of a training module: which text they saw, when, and
    how they answered. One per person and version: a material change asks for a new one."""

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
    seal = models.CharField(
        max_length=64, editable=False, help_text="HMAC-SHA256 of the receipt under the evidence key, set once."
    )

    objects = AppendOnlyQuerySet.as_manager()
    append_only_evidence = True  # the database refuses UPDATE, DELETE and TRUNCATE too (trust/evidence_db.py)

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "page", "version_number"], name="one_training_completion_per_person_and_version"
            )
        ]

    def __str__(self):
        return f"{self.user} completed {self.page_id} v{self.version_number} at {self.completed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Training receipts cannot be changed.")
        self.seal = self.compute_seal()
        super().save(*args, **kwargs)

    def compute_seal(self) -> str:
        return seal_of(SEAL_KIND, completion_seal_values(self))

    def has_valid_seal(self) -> bool:
        return seal_matches(self.seal, SEAL_KIND, completion_seal_values(self))

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Training receipts cannot be deleted.")


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
