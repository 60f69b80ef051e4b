"""Recording acknowledgements: online (with the comprehension check) and on paper."""

from django.db import IntegrityError, transaction
from wagtail.log_actions import log

from trust.access import current_memberships

from .enums import AttemptOutcome
from .models import AcknowledgementAttempt, PolicyVersion, ReadReceipt
from .rendering import revision_body_html, text_sha256


class AlreadyAcknowledged(Exception):
    def __init__(self, receipt):
        super().__init__("Already acknowledged")
        self.receipt = receipt


def memberships_snapshot(user) -> list[dict]:
    return [
        {
            "role": m.role,
            "role_name": m.get_role_display(),
            "school": m.school.slug if m.school_id else None,
            "school_name": m.school.name if m.school_id else None,
        }
        for m in current_memberships(user)
    ]


def record_attempt(user, page, revision_id, version_number, outcome, answers=(), wrong=()):
    return AcknowledgementAttempt.objects.create(
        user=user,
        page_id=page.pk,
        revision_id=revision_id,
        version_number=version_number,
        outcome=outcome,
        answers=list(answers),
        wrong_questions=list(wrong),
    )


def existing_receipt(user, page, version_number):
    return ReadReceipt.objects.filter(user=user, page_id=page.pk, version_number=version_number).first()


def create_receipt(user, page, version: PolicyVersion, revision_id, *, answers=(), on_paper=False, **extra):
    """The one way a receipt is made. Two at once for the same person and version leave exactly one:
    the unique constraint refuses the second, which is answered with AlreadyAcknowledged."""
    html = revision_body_html(revision_id)
    try:
        with transaction.atomic():
            receipt = ReadReceipt.objects.create(
                user=user,
                page_id=page.pk,
                revision_id=revision_id,
                version=version,
                version_number=version.number,
                text_sha256=text_sha256(html),
                answers=list(answers),
                memberships_snapshot=memberships_snapshot(user),
                on_paper=on_paper,
                **extra,
            )
            # In the same transaction: a receipt never stands without its entry in the page's history.
            log(
                instance=page,
                action="policy.acknowledged_on_paper" if on_paper else "policy.acknowledged",
                user=extra.get("recorded_by") or user,
                data={"version": version.number, "person": user.get_full_name() or user.email, "receipt": receipt.pk},
            )
    except IntegrityError:
        raise AlreadyAcknowledged(existing_receipt(user, page, version.number)) from None
    return receipt


def record_on_paper(person, page, version, *, recorded_by, signed_on, reason):
    return create_receipt(
        person,
        page,
        version,
        page.live_revision_id,
        on_paper=True,
        recorded_by=recorded_by,
        signed_on=signed_on,
        on_paper_reason=reason,
    )


__all__ = ["AlreadyAcknowledged", "AttemptOutcome", "create_receipt", "record_attempt", "record_on_paper"]
