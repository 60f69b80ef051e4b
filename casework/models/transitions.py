import datetime
import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone

from ..enums import DeadlineKind, DocumentCategory, TransitionPart
from .scoped import ScopedQuerySet

TOKEN_SALT = "casework.transition-link"  # noqa: S105 - a signing salt, not a secret


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Transition(models.Model):
    """A child's move to another school: documents go through an expiring, single-use link.

    The child protection file travels separately (DOMAIN.md): its own Transition, part
    `child_protection`, with its own link, receipt and 5-school-day deadline, tied to the main transfer.
    """

    case_path = "child"

    child = models.ForeignKey("casework.Child", on_delete=models.PROTECT, related_name="transitions")
    part = models.CharField(
        max_length=20, choices=TransitionPart.choices, default=TransitionPart.RECORDS, editable=False
    )
    travels_with = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_protection_transfer",
        editable=False,
        help_text="For a child protection file: the main transfer it goes alongside.",
    )
    send_file_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="send_file_transfer",
        editable=False,
        help_text="For a SEND file: the main transfer it goes alongside (to the receiving school's SENCO).",
    )
    receiving_school = models.CharField(max_length=200)
    receiving_dt_name = models.CharField("receiving designated teacher", max_length=200)
    receiving_dt_email = models.EmailField("receiving designated teacher's email")
    left_on = models.DateField("left on")
    due_on = models.DateField(null=True, blank=True, editable=False)
    documents = models.ManyToManyField("casework.CaseDocument", blank=True, related_name="transitions")
    token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    link_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    link_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    receipt_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    receipt_confirmed_by = models.CharField(max_length=200, blank=True, editable=False)
    receipt_confirmed_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    rejected_at = models.DateTimeField(null=True, blank=True, editable=False)
    rejected_by = models.CharField(max_length=200, blank=True, editable=False)
    rejected_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    rejection_reason = models.TextField(blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["child", "-left_on"]

    def __str__(self):
        name = self.child.display_name
        if self.is_child_protection:
            return f"{name}: child protection file to {self.receiving_school}"
        if self.is_send_file:
            return f"{name}: SEND file to {self.receiving_school}"
        return f"{name}: transfer to {self.receiving_school}"

    def save(self, *args, **kwargs):
        if not kwargs.get("update_fields"):
            from trust.school_days import MissingTermDates

            from ..deadlines import DeadlineEngine

            try:
                engine = DeadlineEngine.for_school(self.child.school)
                self.due_on = engine.transfer_due(self.child, self.left_on, self.deadline_kind)[0]
            except MissingTermDates:
                self.due_on = None
        super().save(*args, **kwargs)

    @property
    def is_child_protection(self) -> bool:
        return self.part == TransitionPart.CHILD_PROTECTION

    @property
    def is_send_file(self) -> bool:
        return self.part == TransitionPart.SEND

    @property
    def is_pep_to_social_worker(self) -> bool:
        """The PEP sent to the child's social worker: not a move, so no transfer deadline."""
        return self.part == TransitionPart.PEP

    @property
    def what_is_sent(self) -> str:
        if self.is_pep_to_social_worker:
            return "PEP"
        if self.is_send_file:
            return "SEND file"
        return "child protection file" if self.is_child_protection else "records"

    @property
    def what_is_sent_heading(self) -> str:
        """What is sent, at the start of a sentence: Records, Child protection file, SEND file."""
        return self.what_is_sent[:1].upper() + self.what_is_sent[1:]

    def documents_problem(self) -> str:
        """Why the chosen documents cannot go yet, or "": the child protection file never rides with the rest."""
        categories = {d.category for d in self.documents.all()}
        if not categories:
            return "Choose the documents for the receiving school first (edit the transition)."
        if self.is_send_file and categories != {DocumentCategory.SEN}:
            return "Only SEN or EHCP documents go with the SEND file: take the others out."
        if self.is_child_protection and categories != {DocumentCategory.CHILD_PROTECTION}:
            return "Only child protection documents go with the child protection file: take the others out."
        if not self.is_child_protection and DocumentCategory.CHILD_PROTECTION in categories:
            return (
                "Child protection documents are sent separately: take them out of this transfer and send them "
                "as the child protection file."
            )
        return ""

    @property
    def deadline_kind(self) -> str:
        return DeadlineKind.CHILD_PROTECTION if self.is_child_protection else DeadlineKind.TRANSFER

    def issue_link(self, user, days: int = 7) -> str:
        """A new signed token (only its hash is kept); any earlier link stops working."""
        token = signing.dumps({"t": self.pk, "n": secrets.token_urlsafe(24)}, salt=TOKEN_SALT, compress=True)
        self.token_hash = hash_token(token)
        self.link_expires_at = timezone.now() + datetime.timedelta(days=days)
        self.link_used_at = None
        self.sent_at = timezone.now()
        self.sent_by = user
        self.save(update_fields=["token_hash", "link_expires_at", "link_used_at", "sent_at", "sent_by"])
        return token

    def link_is_live(self) -> bool:
        return bool(self.token_hash and self.link_expires_at and self.link_expires_at > timezone.now())

    @property
    def is_rejected(self) -> bool:
        """The receiving school rejected the link now out; a new link (a later `sent_at`) reopens the transfer."""
        return bool(
            self.rejected_at
            and self.receipt_confirmed_at is None
            and (self.sent_at is None or self.rejected_at >= self.sent_at)
        )

    def reject(self, name: str, reason: str, ip: str | None) -> None:
        self.rejected_at = timezone.now()
        self.rejected_by = name
        self.rejected_ip = ip
        self.rejection_reason = reason
        self.save(update_fields=["rejected_at", "rejected_by", "rejected_ip", "rejection_reason"])


class TransitionDownload(models.Model):
    case_path = "transition__child"

    transition = models.ForeignKey(Transition, on_delete=models.CASCADE, related_name="downloads")
    at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["transition", "at"]

    def __str__(self):
        return f"Download {self.at:%d %b %Y %H:%M}"
