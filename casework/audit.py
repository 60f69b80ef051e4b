"""Writing and checking the case audit log (casework.models.CaseAuditEvent).

Every list, read, change, export, download and transfer goes through `record`. Reads are logged at
most once a minute per person and record, so a refresh does not flood the log. Entries are chained
by SHA-256: `verify_chain` (and `manage.py verify_case_audit`) names the first altered or missing one.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from .enums import AuditAction
from .models import CaseAuditEvent
from .models.audit import GENESIS

READ_COOLDOWN_SECONDS = 60


def client_ip(request) -> str | None:
    """The address the request came from (REMOTE_ADDR: the proxy must set it from the real client)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _child_of(obj):
    if obj is None:
        return None
    if obj._meta.model_name == "child":
        return obj
    if hasattr(obj, "child_id"):
        return obj.child
    if hasattr(obj, "pep"):
        return obj.pep.child
    if hasattr(obj, "target"):
        return obj.target.pep.child
    return None


# Any constant: every writer of the chain takes this transaction-level lock on PostgreSQL, so two
# events can never both follow the same entry. (SQLite serialises writers itself.)
_CHAIN_LOCK_KEY = 0x0CA5E_A0D17


def _lock_the_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    else:
        # Take SQLite's write lock before reading the last hash (a no-op write), so reads cannot interleave.
        CaseAuditEvent.objects.filter(pk=-1).update(detail="")


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
) -> CaseAuditEvent | None:
    """Append one event. `obj` is the record acted on (its type and id are logged, never its name).

    `actor` names who acted when no one is signed in (a scheduled command, a receiving school's link).
    `school` is the school an event about no child concerns (a casework role granted there)."""
    user = user if user is not None else getattr(request, "user", None)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    child = child or _child_of(obj)
    object_type = obj._meta.model_name if obj is not None else ""
    object_id = str(obj.pk) if obj is not None and obj.pk is not None else ""
    if action == AuditAction.READ and user_id is not None and object_id:
        key = f"casework-read:{user_id}:{object_type}:{object_id}"
        if not cache.add(key, 1, READ_COOLDOWN_SECONDS):
            return None
    with transaction.atomic():
        _lock_the_chain()
        last = CaseAuditEvent.objects.order_by("-id").only("hash").first()
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
            prev_hash=last.hash if last else GENESIS,
        )
        event.hash = event.compute_hash()
        event.save()
    return event


@dataclass
class ChainProblem:
    event_id: int | None
    message: str


def verify_chain() -> ChainProblem | None:
    """None when intact; otherwise the first altered or missing entry."""
    previous_hash, previous_id = GENESIS, None
    for event in CaseAuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.compute_hash() != event.hash:
            return ChainProblem(event.id, f"Entry {event.id} has been altered since it was written.")
        if event.prev_hash != previous_hash:
            after = f"after entry {previous_id}" if previous_id else "at the start of the log"
            return ChainProblem(
                event.id, f"The chain breaks at entry {event.id}: an entry {after} is missing or was altered."
            )
        previous_hash, previous_id = event.hash, event.id
    return None
