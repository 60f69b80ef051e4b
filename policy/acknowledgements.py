"""Recording acknowledgements: online (with the comprehension check) and on paper."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q
from django.utils import timezone
from wagtail.log_actions import get_active_log_context
from wagtail.models import PageLogEntry

from trust.access import current_memberships
from trust.compiled_sql import CompiledOnce, compiled_insert

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
    attempt = AcknowledgementAttempt(
        user=user,
        page_id=page.pk,
        revision_id=revision_id,
        version_number=version_number,
        outcome=outcome,
        answers=list(answers),
        wrong_questions=list(wrong),
    )
    return compiled_insert(AcknowledgementAttempt).save_new(attempt)


def existing_receipt(user, page, version_number):
    return ReadReceipt.objects.filter(user=user, page_id=page.pk, version_number=version_number).first()


_READ_WITH_PAGE = "_version_to_acknowledge"


def with_current_version(pages):
    """`pages` (a queryset of pages) with their current version's id and number, read in the same query (the
    version of the live revision: at most one, a revision has one version)."""
    live_version = FilteredRelation("policy_versions", condition=Q(policy_versions__revision_id=F("live_revision_id")))
    return pages.annotate(reader_version=live_version).annotate(
        reader_version_id=F("reader_version__id"), reader_version_number=F("reader_version__number")
    )


def with_version_to_acknowledge(pages, user):
    """`pages` with what `version_to_acknowledge` answers for `user`, read in the same query: the current
    version (`with_current_version`) and whether the person has a receipt of its number."""
    mine = ReadReceipt.objects.filter(
        user=user, page_id=OuterRef("pk"), version_number=OuterRef("reader_version__number")
    )
    return with_current_version(pages).annotate(reader_acknowledged=Exists(mine))


def has_acknowledged(user, page) -> bool:
    """For a page read through `with_current_version`: whether the person has a receipt of its current number
    (asked on every acknowledgement: its SQL is compiled once, trust/compiled_sql.py)."""
    if page.reader_version_number is None:
        return False
    return _HAS_RECEIPT.exists(person_id=user.pk, page_id=page.pk, version_number=page.reader_version_number)


def _receipts_of(person_id, page_id, version_number):
    return ReadReceipt.objects.filter(user_id=person_id, page_id=page_id, version_number=version_number)


# Stand-ins no real call has; a version number is positive (a negative one compiles to no query at all).
_HAS_RECEIPT = CompiledOnce(_receipts_of, person_id=-1_000_001, page_id=-1_000_002, version_number=2_147_483_001)


def keep_version_to_acknowledge(page, user):
    """After reading `page` through `with_version_to_acknowledge`: keep its answer on the page, for this person
    only. The version holds what acknowledging uses (id, number, revision); its other fields are read from
    the database if anything asks for them."""
    version = None
    if page.reader_version_id is not None:
        version = PolicyVersion.from_db(
            "default",
            ["id", "number", "page_id", "revision_id"],
            [page.reader_version_id, page.reader_version_number, page.pk, page.live_revision_id],
        )
        version.acknowledged = page.reader_acknowledged
    setattr(page, _READ_WITH_PAGE, (user.pk, version))


def version_to_acknowledge(user, page) -> PolicyVersion | None:
    """The page's current version, with `acknowledged`: whether the person already has a receipt of its
    number (a minor correction keeps the number). One query, or none when the page was read with it for
    this person (`with_version_to_acknowledge`)."""
    if not page.live_revision_id:
        return None
    read_with_page = getattr(page, _READ_WITH_PAGE, None)
    if read_with_page is not None and read_with_page[0] == user.pk:
        return read_with_page[1]
    mine = ReadReceipt.objects.filter(user=user, page_id=page.pk, version_number=OuterRef("number"))
    return (
        PolicyVersion.objects.filter(page_id=page.pk, revision_id=page.live_revision_id)
        .annotate(acknowledged=Exists(mine))
        .first()
    )


def _history_entry(page, action, user, data) -> PageLogEntry:
    """The entry in the page's history, as `wagtail.log_actions.log` writes it, but without the query a
    foreign key that `PageLogEntry.save()` spends checking that the page, the person and the content type
    exist: the receipt written just before in the same transaction names the same page and person, and the
    database's own foreign keys refuse any that does not exist."""
    entry = PageLogEntry(
        page=page,
        content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
        label=PageLogEntry.objects.get_instance_title(page),
        action=action,
        timestamp=timezone.now(),
        data=data,
        user=user,
        uuid=get_active_log_context().uuid,
    )
    entry.clean()  # refuses an unknown action, as `log` does (its fields are ours, set just above)
    compiled_insert(PageLogEntry).insert(entry)
    return entry


def _write_receipt(user, page, version: PolicyVersion, revision_id, *, answers, on_paper, extra) -> ReadReceipt:
    """The receipt and its entry in the page's history; the caller holds the transaction."""
    receipt = ReadReceipt.objects.create(
        user=user,
        page_id=page.pk,
        revision_id=revision_id,
        version=version,
        version_number=version.number,
        text_sha256=text_sha256(revision_body_html(revision_id)),
        answers=list(answers),
        memberships_snapshot=memberships_snapshot(user),
        on_paper=on_paper,
        **extra,
    )
    _history_entry(
        page,
        "policy.acknowledged_on_paper" if on_paper else "policy.acknowledged",
        extra.get("recorded_by") or user,
        {"version": version.number, "person": user.get_full_name() or user.email, "receipt": receipt.pk},
    )
    return receipt


def create_receipt(user, page, version: PolicyVersion, revision_id, *, answers=(), on_paper=False, **extra):
    """The one way a receipt is made. Two at once for the same person and version leave exactly one:
    the unique constraint refuses the second, which is answered with AlreadyAcknowledged."""
    try:
        with transaction.atomic():  # a receipt never stands without its entry in the page's history
            return _write_receipt(user, page, version, revision_id, answers=answers, on_paper=on_paper, extra=extra)
    except IntegrityError:
        raise AlreadyAcknowledged(existing_receipt(user, page, version.number)) from None


def acknowledge_online(user, page, version: PolicyVersion, *, answers) -> ReadReceipt | None:
    """The person's receipt of `version` (checked and marked by the caller), its history entry and the
    accepted attempt, in one transaction with no savepoint inside it. If a simultaneous submission made
    the receipt first, the unique constraint undoes all three, the attempt is recorded as already
    acknowledged, and None is returned."""
    try:
        with transaction.atomic():
            receipt = _write_receipt(user, page, version, version.revision_id, answers=answers, on_paper=False, extra={})
            record_attempt(user, page, version.revision_id, version.number, AttemptOutcome.ACCEPTED, answers=answers)
    except IntegrityError:
        if existing_receipt(user, page, version.number) is None:
            raise  # not the one-receipt-per-version rule: nothing to explain to the person
        record_attempt(user, page, version.revision_id, version.number, AttemptOutcome.ALREADY)
        return None
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


__all__ = [
    "AlreadyAcknowledged",
    "AttemptOutcome",
    "acknowledge_online",
    "create_receipt",
    "record_attempt",
    "record_on_paper",
    "version_to_acknowledge",
    "with_current_version",
    "with_version_to_acknowledge",
]
