"""The case audit log and its anchors.

Each event's `hash` is an HMAC-SHA256, under the key in the environment (setting `CASE_AUDIT_HMAC_KEY`,
never stored in the database), of the event's contents and the previous event's hash. Without the key
nobody can rewrite an entry, or recompute the whole chain, and have it verify. The chain's head is
anchored outside the rows it protects: an `AuditAnchor` row (append-only, itself HMAC'd) and a
`casework.audit.anchor` log line, so cutting off the newest entries, or all of them, is noticed too
(casework/audit.py, `manage.py verify_case_audit`).

Entries written before the key existed were chained by plain SHA-256. Rather than keep a version marker
on each row (which would let anyone without the key mark a forged row "old" and recompute it by plain
SHA-256), migration 0010 re-keys them once, as the schema owner: it checks the old SHA-256 chain and
rewrites each entry's hash as an HMAC, stopping at the first entry that fails the old check, so an entry
altered before the migration is still named by `verify_case_audit` afterwards; then it anchors the head.
Hence `CASE_AUDIT_HMAC_KEY` must be set when migrating a database that has audit entries. Changing the key
later needs the same re-keying (not provided: the key is meant to live as long as the log).
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from ..enums import AuditAction

GENESIS = "0" * 64


def audit_key() -> bytes:
    """The chain's HMAC key, from settings (the environment). Refuses to go on without one."""
    key = getattr(settings, "CASE_AUDIT_HMAC_KEY", None)
    if not key:
        raise ImproperlyConfigured(
            "CASE_AUDIT_HMAC_KEY is not set: the case audit log cannot be written or checked without its key."
        )
    return key.encode()


def keyed_hash(message: str) -> str:
    return hmac.new(audit_key(), message.encode(), hashlib.sha256).hexdigest()


class CaseAuditEvent(models.Model):
    """Append-only, HMAC-chained record of every list, read, change, export, download and transfer.

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

    append_only_evidence = True  # the database refuses UPDATE, DELETE and TRUNCATE (trust/evidence_db.py)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["user_id", "occurred_at"])]

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
        """The entry's HMAC-SHA256 under CASE_AUDIT_HMAC_KEY (its contents and the previous entry's hash)."""
        return keyed_hash(self.payload())

    def has_valid_hash(self) -> bool:
        return hmac.compare_digest(self.compute_hash(), self.hash)

    def has_plain_sha256(self) -> bool:
        """True when the stored hash is an unkeyed SHA-256 of the contents: what someone without the key,
        recomputing the chain, would write (or an entry from before the key, not re-keyed)."""
        return hmac.compare_digest(hashlib.sha256(self.payload().encode()).hexdigest(), self.hash)


class AuditAnchor(models.Model):
    """A record of the chain's head at one moment: the newest entry's id and hash.

    Written every CASE_AUDIT_ANCHOR_EVERY events, by the daily `manage.py anchor_case_audit`, and when the
    log is re-keyed; each is also written to the application log as
    `case_audit_anchor id=<n> hash=<hex> at=<iso>` (logger `casework.audit.anchor`), a copy outside the
    database. Anchors are append-only (as the events: a trigger, and the application role may only SELECT
    and INSERT), and each carries an HMAC so one cannot be made up without the key. Deleting the newest
    entries, or every entry, leaves anchors pointing at entries that are gone: `verify_case_audit` says so.
    """

    class Reason(models.TextChoices):
        PERIODIC = "periodic", "Every N events"
        COMMAND = "command", "manage.py anchor_case_audit"
        REKEY = "rekey", "Re-keyed on migration"

    event_id = models.BigIntegerField(db_index=True)
    event_hash = models.CharField(max_length=64)
    anchored_at = models.DateTimeField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    mac = models.CharField(max_length=64)

    append_only_evidence = True

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.log_line()

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Case audit anchors are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case audit anchors are append-only.")

    def compute_mac(self) -> str:
        return keyed_hash(f"case_audit_anchor:{self.event_id}:{self.event_hash}:{self.anchored_at.isoformat()}")

    def is_genuine(self) -> bool:
        return hmac.compare_digest(self.compute_mac(), self.mac)

    def log_line(self) -> str:
        return f"case_audit_anchor id={self.event_id} hash={self.event_hash} at={self.anchored_at.isoformat()}"
