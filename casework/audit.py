"""Writing and checking the case audit log (casework.models.CaseAuditEvent).

Every list, read, change, export, download and transfer goes through `record`. Reads are logged at
most once a minute per person and record, and the fixed lists that take no parameters (the casework home,
the delegate's casework) once a minute per person and address, so a refresh does not flood the log or wait
on the chain's lock, which every casework page in the trust shares.

Entries are chained by HMAC-SHA256 under `CASE_AUDIT_HMAC_KEY` (from the environment, never in the
database), so an entry edited in the database, or a chain recomputed without the key, fails the check.
The head is anchored every `CASE_AUDIT_ANCHOR_EVERY` events and by `manage.py anchor_case_audit` (daily):
an `AuditAnchor` row plus the log line `case_audit_anchor id=<n> hash=<hex> at=<iso>` on the logger
`casework.audit.anchor`, so deleting the newest entries, or all of them, fails the check too.
`check_chain` (and `manage.py verify_case_audit`, which also takes anchor lines copied from the log)
names the first altered, missing or cut-off entry.
"""

import datetime
import hashlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from .enums import AuditAction
from .models import AuditAnchor, CaseAuditEvent
from .models.audit import GENESIS
from .models.scoped import child_of

anchor_log = logging.getLogger("casework.audit.anchor")

READ_COOLDOWN_SECONDS = 60


def client_ip(request) -> str | None:
    """The address the request came from (REMOTE_ADDR: the proxy must set it from the real client)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


# Any constant: every writer of the chain takes this transaction-level lock on PostgreSQL, so two
# events can never both follow the same entry. (SQLite serialises writers itself.)
_CHAIN_LOCK_KEY = 0x0CA5E_A0D17


def _lock_the_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    elif getattr(connection, "transaction_mode", None) not in ("IMMEDIATE", "EXCLUSIVE"):
        # Take SQLite's write lock before reading the last hash (a no-op write), so reads cannot interleave.
        # The portal's SQLite settings begin every transaction IMMEDIATE, which has taken it already.
        CaseAuditEvent.objects.filter(pk=-1).update(detail="")


def _head_sql() -> str:
    """The chain's head: the newest entry's hash and how many entries have followed the last anchor (all of
    them before any anchor); no row when the log is empty. Plain SQL of the tables' own names, built once:
    the ORM spent more on compiling this on every casework view than the database spent answering it."""
    events, anchors = CaseAuditEvent._meta.db_table, AuditAnchor._meta.db_table
    return (
        f"SELECT head.hash, (SELECT COUNT(*) FROM {events} newer WHERE newer.id > "  # noqa: S608 - the models' tables
        f"COALESCE((SELECT anchor.event_id FROM {anchors} anchor ORDER BY anchor.id DESC LIMIT 1), 0)) "
        f"FROM {events} head ORDER BY head.id DESC LIMIT 1"
    )


_HEAD_SQL = _head_sql()


def _lock_and_read_head() -> tuple[str, int]:
    """Take the chain lock, then read the head (its hash, and entries since the last anchor) under it.

    On PostgreSQL both go in one round trip as two statements (the simple query protocol: no parameters),
    never as one: under READ COMMITTED each statement takes its snapshot as it starts, so only a read in a
    statement after the one that waited for the lock sees the entry the previous holder just committed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT pg_advisory_xact_lock({_CHAIN_LOCK_KEY}); {_HEAD_SQL}")
            cursor.nextset()
        else:
            _lock_the_chain()
            cursor.execute(_HEAD_SQL)
        head = cursor.fetchone()
    return (head[0], head[1]) if head else (GENESIS, 0)


def record(
    request,
    action: str,
    obj=None,
    *,
    child=None,
    user=None,
    detail: str = "",
    actor: str = "anonymous",
    school=None,
    once_a_minute: bool = False,
) -> CaseAuditEvent | None:
    """Append one event. `obj` is the record acted on (its type and id are logged, never its name).

    `actor` names who acted when no one is signed in (a scheduled command, a receiving school's link).
    `school` is the school an event about no child concerns (a casework role granted there).
    `once_a_minute`: a list that takes no parameters (what it shows depends only on the person), logged at
    most once a minute per person, list and address; a list a person can filter or search is logged each time."""
    user = user if user is not None else getattr(request, "user", None)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    child = child or child_of(obj)  # the model's declared case_path
    object_type = obj._meta.model_name if obj is not None else ""
    object_id = str(obj.pk) if obj is not None and obj.pk is not None else ""
    if action == AuditAction.READ and user_id is not None and object_id:
        key = f"casework-read:{user_id}:{object_type}:{object_id}"
        if not cache.add(key, 1, READ_COOLDOWN_SECONDS):
            return None
    if once_a_minute and action == AuditAction.LIST and user_id is not None:
        place = hashlib.sha256(f"{client_ip(request)}\x1f{detail}".encode()).hexdigest()[:32]
        key = f"casework-list:{user_id}:{place}"
        if not cache.add(key, 1, READ_COOLDOWN_SECONDS):
            return None
    with transaction.atomic():
        previous_hash, since_anchor = _lock_and_read_head()
        event = CaseAuditEvent(
            occurred_at=timezone.now(),
            user_id=user_id,
            user_label=(getattr(user, "email", "") or "")[:254] if user_id else actor[:254],
            action=action,
            object_type=object_type,
            object_id=object_id,
            child_id=child.pk if child is not None else None,
            school_id=child.school_id if child is not None else getattr(school, "pk", school),
            ip=client_ip(request),
            detail=detail[:200],
            prev_hash=previous_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        if since_anchor + 1 >= settings.CASE_AUDIT_ANCHOR_EVERY:
            _anchor(event, AuditAnchor.Reason.PERIODIC)
    return event


def _anchor(event: CaseAuditEvent, reason: str) -> AuditAnchor:
    """Anchor the chain at `event` (the head, under the chain lock): a row now, the log line on commit."""
    anchor = AuditAnchor(event_id=event.pk, event_hash=event.hash, anchored_at=timezone.now(), reason=reason)
    anchor.mac = anchor.compute_mac()
    anchor.save()
    line = anchor.log_line()
    transaction.on_commit(lambda: anchor_log.info(line))
    return anchor


def anchor_head(reason: str = AuditAnchor.Reason.COMMAND) -> AuditAnchor | None:
    """Anchor the newest entry now; None when the log has no entries."""
    with transaction.atomic():
        _lock_the_chain()
        head = CaseAuditEvent.objects.order_by("-id").first()
        return _anchor(head, reason) if head is not None else None


class ChainBroken(Exception):
    """The chain failed its check (raised where a problem must stop the work, as the anchoring task)."""


def anchor_verified() -> AuditAnchor | None:
    """Check the whole chain, then anchor its head: a broken chain is reported, never anchored over."""
    report = check_chain()
    if report.problem:
        raise ChainBroken(report.problem.message)
    return anchor_head(AuditAnchor.Reason.COMMAND)


@dataclass
class ChainProblem:
    event_id: int | None
    message: str


@dataclass
class ChainReport:
    entries: int
    anchored_id: int | None  # the newest anchored entry (from the table or an anchor given), if any
    problem: ChainProblem | None

    def summary(self) -> str:
        if self.problem:
            return self.problem.message
        anchored = f"anchored at id {self.anchored_id}" if self.anchored_id is not None else "not yet anchored"
        return f"The case audit log is intact ({self.entries} entries, {anchored})."


@dataclass(frozen=True)
class GivenAnchor:
    """An anchor copied from outside the database (a `case_audit_anchor` log line)."""

    event_id: int
    event_hash: str


_ANCHOR_TEXT = re.compile(r"^\s*(?:case_audit_anchor\s+)?(?:id=)?(\d+)(?::|\s+hash=)([0-9a-fA-F]{64})(?:\s+at=\S+)?\s*$")


def parse_anchor(text: str) -> GivenAnchor:
    """`id:hash`, or the whole `case_audit_anchor id=<n> hash=<hex> at=<iso>` line."""
    match = _ANCHOR_TEXT.match(text)
    if not match:
        raise ValueError(
            f"{text!r} is not an anchor: give it as <id>:<64 hex digits>, "
            "or paste the whole 'case_audit_anchor id=… hash=… at=…' log line."
        )
    return GivenAnchor(int(match.group(1)), match.group(2).lower())


def _altered(event: CaseAuditEvent, first: bool) -> ChainProblem:
    if event.has_plain_sha256():
        message = (
            f"Entry {event.id} does not carry the portal's keyed hash: its hash is a plain SHA-256 of its "
            "contents, so the log was rewritten by someone without the key (CASE_AUDIT_HMAC_KEY)."
        )
    else:
        message = f"Entry {event.id} has been altered since it was written: its HMAC does not match its contents."
    if first:
        message += " (If every entry fails, check that CASE_AUDIT_HMAC_KEY is the key the log was written with.)"
    return ChainProblem(event.id, message)


def check_chain(given: tuple[GivenAnchor, ...] | list[GivenAnchor] = ()) -> ChainReport:
    """Check every entry's HMAC and link, then every anchor (the table's and those given) against the entries.

    The first problem is reported: an altered entry (or one rewritten without the key), a missing one, an
    entry that differs from its anchor, a cut-off end (an anchored entry newer than the last one left), or
    an emptied log (anchors, no entries)."""
    anchors = list(AuditAnchor.objects.order_by("id"))
    for anchor in anchors:
        if not anchor.is_genuine():
            return ChainReport(
                0,
                None,
                ChainProblem(
                    anchor.event_id,
                    f"Anchor {anchor.pk} (for entry {anchor.event_id}) was not written by the portal: its HMAC "
                    "does not match, so it was added or changed in the database.",
                ),
            )
    expected: dict[int, list[tuple[str, str]]] = {}
    for anchor in anchors:
        when = anchor.anchored_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        expected.setdefault(anchor.event_id, []).append((anchor.event_hash, f"anchored {when}"))
    for anchor in given:
        expected.setdefault(anchor.event_id, []).append((anchor.event_hash, "the anchor given"))
    anchored_id = max(expected, default=None)

    entries, previous_hash, previous_id = 0, GENESIS, None
    for event in CaseAuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        entries += 1
        if not event.has_valid_hash():
            return ChainReport(entries, anchored_id, _altered(event, first=previous_id is None))
        if event.prev_hash != previous_hash:
            after = f"after entry {previous_id}" if previous_id else "at the start of the log"
            return ChainReport(
                entries,
                anchored_id,
                ChainProblem(
                    event.id, f"The chain breaks at entry {event.id}: an entry {after} is missing or was altered."
                ),
            )
        for anchored_hash, source in expected.pop(event.id, ()):
            if anchored_hash != event.hash:
                return ChainReport(
                    entries,
                    anchored_id,
                    ChainProblem(
                        event.id,
                        f"Entry {event.id} is not the entry that was anchored ({source}): the anchor's hash is "
                        f"{anchored_hash}, the entry's is now {event.hash}.",
                    ),
                )
        previous_hash, previous_id = event.hash, event.id

    if expected:
        return ChainReport(entries, anchored_id, _missing_anchored(expected, previous_id))
    return ChainReport(entries, anchored_id, None)


def _missing_anchored(expected: dict[int, list[tuple[str, str]]], last_id: int | None) -> ChainProblem:
    first = min(expected)
    anchored_hash, source = expected[first][0]
    newest = max(expected)
    also = f" (the newest anchor is entry {newest})" if newest != first else ""
    if last_id is None:
        return ChainProblem(
            first,
            f"The case audit log has been emptied: it holds no entries, but entry {first} was anchored "
            f"({source}, hash {anchored_hash}){also}. Every entry has been deleted.",
        )
    if first > last_id:
        return ChainProblem(
            first,
            f"The end of the case audit log has been cut off: entry {first} ({source}, hash {anchored_hash}) "
            f"is no longer in the log, which now ends at entry {last_id}{also}. The newest entries were deleted.",
        )
    return ChainProblem(first, f"Entry {first} ({source}, hash {anchored_hash}) is not in the log.")


def verify_chain() -> ChainProblem | None:
    """None when intact; otherwise the first altered, missing or cut-off entry (see check_chain)."""
    return check_chain().problem
