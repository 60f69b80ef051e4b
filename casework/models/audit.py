import hashlib
import json

import pgtrigger
from django.db import models

from ..enums import AuditAction

GENESIS = "0" * 64


class CaseAuditEvent(models.Model):
    """Append-only, hash-chained record of every list, read, change, export, download and transfer.

    It holds ids, never a child's name: the label is built from the record's type and number.
    """

    occurred_at = models.DateTimeField()
    user_id = models.IntegerField(null=True)
    user_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    child_id = models.IntegerField(null=True, db_index=True)
    school_id = models.IntegerField(null=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["user_id", "occurred_at"])]
        triggers = [
            pgtrigger.Protect(name="case_audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_type} {self.object_id}".strip()

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Case audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case audit events are append-only.")

    def payload(self) -> str:
        return json.dumps(
            [
                self.occurred_at.isoformat(),
                self.user_id,
                self.user_label,
                self.action,
                self.object_type,
                self.object_id,
                self.child_id,
                self.school_id,
                self.ip,
                self.detail,
                self.prev_hash,
            ],
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.payload().encode()).hexdigest()
