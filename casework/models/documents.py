import secrets

from django.conf import settings
from django.db import models

from ..enums import DocumentCategory, RetentionBasis
from .scoped import ScopedQuerySet


def case_document_path(instance, filename) -> str:
    """A random object name: nothing about the child or the file's own name reaches storage."""
    return f"casework/{secrets.token_hex(16)}"


class CaseDocument(models.Model):
    case_path = "child"

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=DocumentCategory.choices, default=DocumentCategory.GENERAL)
    file = models.FileField(upload_to=case_document_path, max_length=200)
    original_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    size = models.PositiveIntegerField(editable=False)
    retention_basis = models.CharField(
        max_length=16,
        choices=RetentionBasis.choices,
        default=RetentionBasis.PUPIL_FILE,
        editable=False,
        help_text="Its own: an SEN or EHCP file is kept 31 years whatever the child's status later.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["child", "-uploaded_at"]

    def __str__(self):
        # The child's name and the upload date: seven "Care plan" documents are never alike in a chooser.
        when = f", {self.uploaded_at:%-d %b %Y}" if self.uploaded_at else ""
        return f"{self.title} ({self.child.display_name}{when})"

    def save(self, *args, **kwargs):
        if self.category == DocumentCategory.SEN:
            self.retention_basis = RetentionBasis.SEN_FILE  # never back to 25 years
        super().save(*args, **kwargs)
        if self.retention_basis == RetentionBasis.SEN_FILE:
            # The child's record holds it, so it is kept as long.
            type(self.child).objects.filter(pk=self.child_id).update(retention_basis=RetentionBasis.SEN_FILE)

    def retention_until(self):
        from .children import retention_date

        return retention_date(self.child.date_of_birth, self.retention_basis)

    def download_name(self) -> str:
        safe = "".join(c if c.isalnum() or c in "-_ " else "_" for c in self.title).strip() or "document"
        return f"{safe}.{self.extension}"
