from django.conf import settings
from django.db import models
from django.utils import timezone


class TrainingVersion(models.Model):
    """One publication of a training module, pointing at the exact revision published.

    A material change starts a new version number (everyone in the audience completes it again); a
    minor change keeps the number (completions stand). The first publication is version 1.
    """

    page = models.ForeignKey("training.TrainingModulePage", on_delete=models.PROTECT, related_name="versions")
    revision = models.OneToOneField("wagtailcore.Revision", on_delete=models.PROTECT, related_name="training_version")
    number = models.PositiveIntegerField()
    is_material = models.BooleanField()
    change_summary = models.TextField(blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["page_id", "published_at", "pk"]
        get_latest_by = ["published_at", "pk"]
        indexes = [models.Index(fields=["page", "number"])]

    def __str__(self):
        kind = "material change" if self.is_material else "minor change"
        return f"Version {self.number} ({kind}, {self.published_at:%d %B %Y})"
