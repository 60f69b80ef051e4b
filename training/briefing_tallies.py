"""Counts of `BriefingCompletion` rows a version and a week, kept by the database as rows come and go.

The briefing's growth chart (training/briefing_growth.py) counts, for each current policy version, the
people who acknowledged it in each week since its publication. Counting them from the completions reads
one row a person and version, every rebuild. The counts here are kept instead by triggers on the
completions table: each insert adds one, each delete takes one away, in the same statement, so
acknowledging makes no extra query and no code path can forget them (bulk_create and the rebuild too).

- `BriefingVersionTally`: every row of the version (and the latest done_at);
- `BriefingWeekTally`: the version's rows by week since `since`, the earliest publication with that version
  number (what policy.versions calls the start of the current version). A completion of a page with no
  such publication (a training module, or a version not published yet) has no week row.

The growth chart uses the week counts of a version when they add up to every row of the version (else
the version's publication date moved since they were counted) and every row is dated before now, less the
completions of the people the version does not apply to (training/briefing_growth.py); anything else is
counted from the completions as before. Every receipt of one version in one week updates the same two
rows: concurrent receipts of it wait for each other's commit there (a receipt's transaction is short).
"""

from . import completion_triggers

FUNCTION = "briefing_tally"


def _tables(apps):
    return {
        "completions": apps.get_model("training", "BriefingCompletion")._meta.db_table,
        "versions": apps.get_model("training", "BriefingVersionTally")._meta.db_table,
        "weeks": apps.get_model("training", "BriefingWeekTally")._meta.db_table,
        "published": apps.get_model("policy", "PolicyVersion")._meta.db_table,
    }


POSTGRESQL = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed {completions};
    delta integer;
    started timestamptz;  -- not `since`: a variable of a column's name is ambiguous in the INSERT
BEGIN
    IF TG_OP = 'INSERT' THEN changed := NEW; delta := 1; ELSE changed := OLD; delta := -1; END IF;
    INSERT INTO {versions} (page_id, version_number, done, last_done_at)
        VALUES (changed.page_id, changed.version_number, delta, changed.done_at)
        ON CONFLICT (page_id, version_number) DO UPDATE
        SET done = {versions}.done + EXCLUDED.done,
            last_done_at = GREATEST({versions}.last_done_at, EXCLUDED.last_done_at);
    SELECT MIN(v.published_at) INTO started FROM {published} v
        WHERE v.page_id = changed.page_id AND v.number = changed.version_number;
    IF started IS NOT NULL THEN
        INSERT INTO {weeks} (page_id, version_number, since, week, done)
            VALUES (changed.page_id, changed.version_number, started,
                    FLOOR(date_part('epoch', changed.done_at - started) / 604800), delta)
            ON CONFLICT (page_id, version_number, since, week) DO UPDATE
            SET done = {weeks}.done + EXCLUDED.done;
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS {function} ON {completions};
CREATE TRIGGER {function} AFTER INSERT OR DELETE ON {completions}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""

# SQLite: one trigger each way; `row` is NEW or OLD, `delta` 1 or -1. The week as briefing_growth counts it.
SQLITE = """
CREATE TRIGGER IF NOT EXISTS {function}_{name} AFTER {event} ON {completions} FOR EACH ROW BEGIN
    INSERT INTO {versions} (page_id, version_number, done, last_done_at)
        VALUES ({row}.page_id, {row}.version_number, {delta}, {row}.done_at)
        ON CONFLICT (page_id, version_number) DO UPDATE
        SET done = done + excluded.done, last_done_at = MAX(last_done_at, excluded.last_done_at);
    INSERT INTO {weeks} (page_id, version_number, since, week, done)
        SELECT {row}.page_id, {row}.version_number, s.since,
               CAST((julianday({row}.done_at) - julianday(s.since)) / 7 AS INTEGER), {delta}
        FROM (SELECT MIN(v.published_at) AS since FROM {published} v
              WHERE v.page_id = {row}.page_id AND v.number = {row}.version_number) s
        WHERE s.since IS NOT NULL
        ON CONFLICT (page_id, version_number, since, week) DO UPDATE SET done = done + excluded.done;
END;
"""
SQLITE_EVENTS = [("insert", "INSERT", "NEW", 1), ("delete", "DELETE", "OLD", -1)]


def install(apps, schema_editor):
    """The triggers (a migration's RunPython): each database in its own dialect."""
    tables = _tables(apps)
    completion_triggers.create(
        schema_editor,
        POSTGRESQL.format(function=FUNCTION, **tables),
        [
            SQLITE.format(function=FUNCTION, name=name, event=event, row=row, delta=delta, **tables)
            for name, event, row, delta in SQLITE_EVENTS
        ],
    )


def uninstall(apps, schema_editor):
    completions = _tables(apps)["completions"]
    completion_triggers.drop(
        schema_editor, FUNCTION, completions, [f"{FUNCTION}_{name}" for name, *_event in SQLITE_EVENTS]
    )


def clear(apps) -> None:
    """No counts at all (before the completions are made again from the receipts): the triggers count
    each row as it is inserted. Nothing to clear before the migration that made the tallies."""
    for name in ("BriefingVersionTally", "BriefingWeekTally"):
        try:
            model = apps.get_model("training", name)
        except LookupError:
            return
        model._base_manager.all().delete()


def count_existing(apps, schema_editor):
    """Counts for the completions made before the triggers (the migration that made them)."""
    tables = _tables(apps)
    week = (
        "FLOOR(date_part('epoch', c.done_at - s.since) / 604800)"
        if schema_editor.connection.vendor == "postgresql"
        else "CAST((julianday(c.done_at) - julianday(s.since)) / 7 AS INTEGER)"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {tables['versions']}")  # noqa: S608 - table names from the models
        cursor.execute(f"DELETE FROM {tables['weeks']}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {tables['versions']} (page_id, version_number, done, last_done_at) "  # noqa: S608
            f"SELECT page_id, version_number, COUNT(*), MAX(done_at) FROM {tables['completions']} "
            "GROUP BY page_id, version_number"
        )
        cursor.execute(
            " ".join(
                [
                    f"INSERT INTO {tables['weeks']} (page_id, version_number, since, week, done)",  # noqa: S608
                    f"SELECT c.page_id, c.version_number, s.since, {week} AS week, COUNT(*)",
                    f"FROM {tables['completions']} c JOIN (SELECT page_id, number, MIN(published_at) AS since",
                    f"FROM {tables['published']} GROUP BY page_id, number) s",
                    "ON s.page_id = c.page_id AND s.number = c.version_number",
                    "GROUP BY c.page_id, c.version_number, s.since, week",
                ]
            )
        )
