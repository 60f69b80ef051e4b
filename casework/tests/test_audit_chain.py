"""The case audit chain is keyed (HMAC under CASE_AUDIT_HMAC_KEY) and anchored outside its rows, so an edited
entry, a chain recomputed without the key, a cut-off end and an emptied log each fail `verify_case_audit`.

"Someone with database access" is simulated with pgtrigger.ignore: on PostgreSQL the append-only triggers
would otherwise refuse the UPDATE and DELETE (on SQLite there are no triggers)."""

import hashlib
import importlib
import io
import logging
from contextlib import contextmanager
from types import SimpleNamespace

import pgtrigger
import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from casework import audit
from casework.models import AuditAnchor, CaseAuditEvent
from casework.models.audit import GENESIS

from .factories import ChildFactory

ACTIONS = ["list", "change", "download", "export", "create", "transfer", "receipt", "reject"]
ANCHOR_LINE = r"case_audit_anchor id=(\d+) hash=([0-9a-f]{64}) at=\S+"


@pytest.fixture
def child(personas):
    # The personas' casework roles were granted, and so audited, as they were made: each test here starts
    # from an empty log, so that its counts are its own events.
    with with_database_access():
        CaseAuditEvent.objects.all().delete()
    return ChildFactory(school=personas.brook)


@pytest.fixture
def write(personas, child):
    """Write n audit events (no two reads, so none is skipped by the read cool-down)."""

    def _write(n):
        return [audit.record(None, ACTIONS[i % len(ACTIONS)], child, user=personas.dt) for i in range(n)]

    return _write


@contextmanager
def with_database_access():
    with pgtrigger.ignore(
        "casework.CaseAuditEvent:case_audit_append_only", "casework.AuditAnchor:case_audit_anchor_append_only"
    ):
        yield


def verify(*args):
    """Run verify_case_audit as a person would: (exit code, what it printed)."""
    out = io.StringIO()
    try:
        call_command("verify_case_audit", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue().strip()


def anchor_command(*args):
    out = io.StringIO()
    try:
        call_command("anchor_case_audit", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue().strip()


def plain_sha256_chain():
    """What an attacker without the key would do after editing: recompute every hash with plain SHA-256
    (the old algorithm), each linked to the one before."""
    previous = GENESIS
    with with_database_access():
        for event in CaseAuditEvent.objects.order_by("id"):
            event.prev_hash = previous
            digest = hashlib.sha256(event.payload().encode()).hexdigest()
            CaseAuditEvent.objects.filter(pk=event.pk).update(prev_hash=previous, hash=digest)
            previous = digest


def test_an_intact_log_exits_zero_with_its_count_and_anchor(write):
    events = write(5)
    code, text = anchor_command()
    assert code == 0
    assert text.startswith(f"Anchored the case audit log: case_audit_anchor id={events[-1].pk} hash={events[-1].hash} at=")
    assert verify() == (0, f"The case audit log is intact (5 entries, anchored at id {events[-1].pk}).")


def test_a_log_never_anchored_says_so(write):
    write(2)
    assert verify() == (0, "The case audit log is intact (2 entries, not yet anchored).")


def test_a_row_edited_in_the_database_is_named(write):
    events = write(4)
    anchor_command()
    with with_database_access():
        CaseAuditEvent.objects.filter(pk__in=[events[1].pk, events[3].pk]).update(detail="nothing to see")
    code, text = verify()
    assert code == 1
    assert text == (
        f"Entry {events[1].pk} has been altered since it was written: its HMAC does not match its contents."
    )


def test_a_chain_recomputed_without_the_key_fails(write):
    events = write(4)
    with with_database_access():
        CaseAuditEvent.objects.filter(pk=events[2].pk).update(detail="rewritten")
    plain_sha256_chain()
    code, text = verify()
    assert code == 1
    assert text.startswith(
        f"Entry {events[0].pk} does not carry the portal's keyed hash: its hash is a plain SHA-256 of its "
        "contents, so the log was rewritten by someone without the key (CASE_AUDIT_HMAC_KEY)."
    )


def test_deleting_the_newest_rows_is_reported_as_a_cut_off_end(write, settings):
    settings.CASE_AUDIT_ANCHOR_EVERY = 5
    events = write(6)  # anchored at the 5th
    with with_database_access():
        CaseAuditEvent.objects.filter(pk__gte=events[3].pk).delete()
    code, text = verify()
    assert code == 1
    assert text == (
        f"The end of the case audit log has been cut off: entry {events[4].pk} "
        f"(anchored {AuditAnchor.objects.get().anchored_at:%Y-%m-%d %H:%M} UTC, hash {events[4].hash}) is no "
        f"longer in the log, which now ends at entry {events[2].pk}. The newest entries were deleted."
    )


def test_deleting_every_row_is_reported_as_an_emptied_log(write):
    events = write(3)
    anchor_command()
    with with_database_access():
        CaseAuditEvent.objects.all().delete()
    code, text = verify()
    assert code == 1
    assert text.startswith(
        f"The case audit log has been emptied: it holds no entries, but entry {events[-1].pk} was anchored ("
    )
    assert text.endswith(f"hash {events[-1].hash}). Every entry has been deleted.")


def test_the_anchors_are_written_every_n_events_to_the_table_and_the_log(
    write, settings, caplog, django_capture_on_commit_callbacks
):
    settings.CASE_AUDIT_ANCHOR_EVERY = 3
    with caplog.at_level(logging.INFO, logger="casework.audit.anchor"):
        with django_capture_on_commit_callbacks(execute=True):
            events = write(7)
    anchors = list(AuditAnchor.objects.order_by("id"))
    assert [(a.event_id, a.event_hash, a.reason) for a in anchors] == [
        (events[2].pk, events[2].hash, "periodic"),
        (events[5].pk, events[5].hash, "periodic"),
    ]
    lines = [r.getMessage() for r in caplog.records if r.name == "casework.audit.anchor"]
    assert lines == [a.log_line() for a in anchors]
    assert lines[0] == f"case_audit_anchor id={events[2].pk} hash={events[2].hash} at={anchors[0].anchored_at.isoformat()}"


def test_the_anchor_line_is_logged_only_once_the_event_is_committed(write, settings, caplog):
    settings.CASE_AUDIT_ANCHOR_EVERY = 1
    with caplog.at_level(logging.INFO, logger="casework.audit.anchor"):
        write(1)  # the test's transaction never commits: the row is rolled back, so no line is logged
    assert AuditAnchor.objects.count() == 1
    assert not [r for r in caplog.records if r.name == "casework.audit.anchor"]


def test_an_anchor_copied_from_the_log_catches_a_cut_even_when_the_anchor_rows_are_gone(write):
    events = write(5)
    code, text = anchor_command()
    line = text.removeprefix("Anchored the case audit log: ")
    assert verify("--anchor", f"{events[-1].pk}:{events[-1].hash}") == (
        0,
        f"The case audit log is intact (5 entries, anchored at id {events[-1].pk}).",
    )
    with with_database_access():
        AuditAnchor.objects.all().delete()
        CaseAuditEvent.objects.filter(pk__gte=events[3].pk).delete()
    assert verify()[0] == 0  # with the anchors gone too, only the copy outside the database can tell
    code, text = verify("--anchor", line)
    assert code == 1
    assert text == (
        f"The end of the case audit log has been cut off: entry {events[-1].pk} (the anchor given, hash "
        f"{events[-1].hash}) is no longer in the log, which now ends at entry {events[2].pk}. "
        "The newest entries were deleted."
    )


def test_an_anchor_given_that_does_not_match_its_entry_is_reported(write):
    events = write(2)
    code, text = verify("--anchor", f"{events[0].pk}:{'ab' * 32}")
    assert code == 1
    assert text.startswith(f"Entry {events[0].pk} is not the entry that was anchored (the anchor given)")


def test_a_badly_written_anchor_is_refused_in_plain_english(write):
    write(1)
    code, text = verify("--anchor", "12:nothex")
    assert code == 1
    assert "is not an anchor: give it as <id>:<64 hex digits>" in text


def test_an_anchor_row_made_up_in_the_database_is_reported(write):
    events = write(2)
    AuditAnchor.objects.create(
        event_id=events[1].pk, event_hash=events[1].hash, anchored_at=timezone.now(), reason="command", mac="0" * 64
    )
    code, text = verify()
    assert code == 1
    assert f"(for entry {events[1].pk}) was not written by the portal" in text


def test_a_broken_log_is_not_anchored_over(write):
    events = write(3)
    with with_database_access():
        CaseAuditEvent.objects.filter(pk=events[0].pk).update(detail="x")
    code, text = anchor_command()
    assert code == 1
    assert text.startswith(f"Not anchored: Entry {events[0].pk} has been altered")
    assert not AuditAnchor.objects.exists()


def test_an_empty_log_has_nothing_to_anchor(db):
    assert anchor_command() == (0, "The case audit log has no entries yet: nothing to anchor.")
    assert verify() == (0, "The case audit log is intact (0 entries, not yet anchored).")


def test_the_daily_anchoring_runs_as_a_background_task_too(write):
    events = write(2)
    code, text = anchor_command("--enqueue")
    assert code == 0 and text.startswith("Queued the anchoring of the case audit log (task ")
    anchor = AuditAnchor.objects.get()  # the test settings run tasks at once
    assert (anchor.event_id, anchor.reason) == (events[-1].pk, "command")


def test_checking_with_another_key_fails_at_the_first_entry_and_says_to_check_the_key(write, settings):
    events = write(2)
    settings.CASE_AUDIT_HMAC_KEY = "some-other-key-0123456789-0123456789"
    code, text = verify()
    assert code == 1
    assert text.startswith(f"Entry {events[0].pk} has been altered")
    assert "check that CASE_AUDIT_HMAC_KEY is the key the log was written with" in text


def test_without_a_key_the_commands_refuse_and_say_why(write, settings):
    write(1)
    settings.CASE_AUDIT_HMAC_KEY = None
    assert verify() == (
        1,
        "CASE_AUDIT_HMAC_KEY is not set: the case audit log cannot be written or checked without its key.",
    )
    assert anchor_command()[0] == 1


def test_anchors_cannot_be_changed_through_the_orm(write):
    write(1)
    _, text = anchor_command()
    anchor = AuditAnchor.objects.get()
    with pytest.raises(ValueError, match="append-only"):
        anchor.save()
    with pytest.raises(ValueError, match="append-only"):
        anchor.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is installed on PostgreSQL only")
def test_the_database_refuses_to_change_or_delete_an_anchor(write):
    from django.db import InternalError, ProgrammingError, transaction

    write(1)
    anchor_command()
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        AuditAnchor.objects.update(event_hash="0" * 64)
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        AuditAnchor.objects.all().delete()


# --- Migration 0011: the old SHA-256 chain is re-keyed, up to its first bad entry ----------------------------


def _legacy_chain(write, n):
    """Turn n freshly written events into the chain as the code before the key wrote it (plain SHA-256)."""
    events = write(n)
    plain_sha256_chain()
    return events


def _rekey():
    migration = importlib.import_module("casework.migrations.0011_keyed_audit_chain")
    migration.rekey(apps, SimpleNamespace(connection=connection))


def test_migrating_re_keys_an_intact_old_chain_and_anchors_it(write):
    events = _legacy_chain(write, 4)
    assert verify()[0] == 1  # plain SHA-256 no longer passes
    _rekey()
    assert verify() == (0, f"The case audit log is intact (4 entries, anchored at id {events[-1].pk}).")
    assert AuditAnchor.objects.get().reason == "rekey"


def test_migrating_does_not_re_key_past_an_entry_altered_before_it(write):
    events = _legacy_chain(write, 4)
    with with_database_access():
        CaseAuditEvent.objects.filter(pk=events[2].pk).update(detail="altered under the old chain")
    _rekey()
    code, text = verify()
    assert code == 1
    assert text.startswith(f"Entry {events[2].pk} has been altered since it was written")
