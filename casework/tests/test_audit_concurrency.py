"""Writers of the case audit chain at the same moment, each on its own connection, leave one unbroken chain.

casework.audit takes the chain lock and reads the head in one round trip on PostgreSQL; these tests show
the read still sees what the lock's previous holder committed (a read that did not would make two entries
follow the same one, and the chain check would name the second)."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import audit
from casework.models import AuditAnchor, CaseAuditEvent

from .factories import ChildFactory

WRITERS = 8
EACH = 15


def _write_at_once(writes, *args, **kwargs):
    """Run `writes` times audit.record(*args, **kwargs) in each of WRITERS threads released together."""
    barrier = threading.Barrier(WRITERS)
    failures = []

    def writer():
        try:
            barrier.wait()
            for _ in range(writes):
                audit.record(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_writers_leave_an_intact_chain_with_every_entry(personas, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the race is tested on PostgreSQL")
    settings.CASE_AUDIT_ANCHOR_EVERY = 7  # anchors written in the race too
    child = ChildFactory(school=personas.brook)
    before = CaseAuditEvent.objects.count()

    failures = _write_at_once(EACH, None, "change", child, user=personas.dt, detail="race")

    assert failures == []
    assert CaseAuditEvent.objects.count() == before + WRITERS * EACH
    report = audit.check_chain()
    assert report.problem is None, report.problem
    hashes = list(CaseAuditEvent.objects.order_by("id").values_list("prev_hash", flat=True))
    assert len(hashes) == len(set(hashes)), "two entries follow the same one"


@pytest.mark.django_db
def test_the_head_read_under_the_lock_counts_entries_since_the_last_anchor(personas, settings):
    settings.CASE_AUDIT_ANCHOR_EVERY = 4
    child = ChildFactory(school=personas.brook)
    audit.anchor_head()

    events = [audit.record(None, "change", child, user=personas.dt) for _ in range(9)]

    anchored = list(AuditAnchor.objects.order_by("id").values_list("event_id", flat=True))
    assert anchored[-2:] == [events[3].pk, events[7].pk]


@pytest.mark.django_db
def test_on_sqlite_begun_deferred_the_chain_is_write_locked_before_its_head_is_read(personas):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    child = ChildFactory(school=personas.brook)
    with CaptureQueriesContext(connection) as immediate:
        audit.record(None, "change", child, user=personas.dt)
    mode, connection.transaction_mode = connection.transaction_mode, None  # BEGIN takes no write lock
    try:
        with CaptureQueriesContext(connection) as deferred:
            audit.record(None, "change", child, user=personas.dt)
    finally:
        connection.transaction_mode = mode

    def statements(captured):
        return [query["sql"].split()[0] for query in captured.captured_queries]

    # Under the portal's settings (BEGIN IMMEDIATE) the transaction holds the lock; otherwise a no-op UPDATE
    # takes it before the head is read.
    assert "UPDATE" not in statements(immediate)
    assert statements(deferred).index("UPDATE") < statements(deferred).index("SELECT")
    assert audit.check_chain().problem is None
