import uuid

from django.conf import settings
from django.db import models


def certificate_path(instance, filename):
    # The original name is not kept in the path: it may hold a person's name. The type was checked on upload.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/la-training/{uuid.uuid4().hex}.{extension}"


class LocalAuthorityTrainingQuerySet(models.QuerySet):
    def for_schools(self, school_ids):
        """`school_ids` None means every school (a trust-wide role)."""
        return self if school_ids is None else self.filter(school_id__in=school_ids)


class LocalAuthorityTraining(models.Model):
    """A course a person attended run by a Local Authority (usually its Virtual School)."""

    school = models.ForeignKey("trust.School", on_delete=models.PROTECT, related_name="la_training")
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="la_training", verbose_name="who attended"
    )
    course = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, help_text="For example: Leicestershire Virtual School.")
    attended_on = models.DateField("date attended")
    certificate = models.FileField(upload_to=certificate_path, blank=True, max_length=200)
    certificate_content_type = models.CharField(max_length=100, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocalAuthorityTrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-attended_on", "course"]
        verbose_name = "Local Authority training record"

    def __str__(self):
        return f"{self.course} ({self.provider}), {self.attended_on:%d %B %Y}"
