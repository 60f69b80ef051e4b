"""Evidence the database itself refuses to change (PostgreSQL), and the application role's grants.

An evidence table (a model with `append_only_evidence = True`: read receipts, training completions, the case
audit log and its anchors) carries two triggers of our own, written in PL/pgSQL and honouring no session
setting (unlike django-pgtrigger's, which `SET pgtrigger.ignore` switches off):

- `evidence_append_only`, BEFORE UPDATE OR DELETE, FOR EACH ROW: refuses, always, whoever asks. No code
  path deletes evidence: retention (`manage.py apply_retention`) deletes a child's records but keeps the
  case audit events (they hold ids only), and receipts PROTECT the person and page they point at.
- `evidence_no_truncate`, BEFORE TRUNCATE, FOR EACH STATEMENT: refuses every role but a PostgreSQL
  superuser. A superuser can drop any trigger anyway, so this gives nothing away; it lets a test suite,
  which connects as a superuser, empty its test database between transactional tests.

Triggers stop statements, not the table's owner: an owner may `ALTER TABLE ... DISABLE TRIGGER`. Hence two
roles in production (README, "Deploying"): the schema owner runs migrations; the application connects as
another role, which `manage.py grant_app_role` allows only SELECT and INSERT on evidence tables. Not owning
them, it can neither alter nor disable their triggers, nor truncate them.

On SQLite (the embedded default) the models refuse changes themselves (their save, delete and querysets).
"""

from contextlib import contextmanager

from django.apps import apps
from django.db import connection as default_connection

ROW_TRIGGER = "evidence_append_only"
TRUNCATE_TRIGGER = "evidence_no_truncate"

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION evidence_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Cannot update or delete rows of %: evidence is append-only', TG_TABLE_NAME
        USING HINT = 'Evidence tables accept INSERT only; see trust/evidence_db.py.';
END
$$;
CREATE OR REPLACE FUNCTION evidence_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
        RETURN NULL;  -- a superuser may drop the trigger anyway: let test suites flush their database
    END IF;
    RAISE EXCEPTION 'Cannot truncate %: evidence is append-only', TG_TABLE_NAME
        USING HINT = 'Evidence tables accept INSERT only; see trust/evidence_db.py.';
END
$$;
"""


def evidence_models() -> list:
    """Every installed model that is append-only evidence, in a stable order."""
    found = [m for m in apps.get_models() if getattr(m, "append_only_evidence", False)]
    return sorted(found, key=lambda m: m._meta.db_table)


def evidence_tables() -> list[str]:
    return [m._meta.db_table for m in evidence_models()]


def install_sql(table: str) -> list[str]:
    quoted = f'"{table}"'
    return [
        FUNCTIONS_SQL,
        f"DROP TRIGGER IF EXISTS {ROW_TRIGGER} ON {quoted}",
        f"CREATE TRIGGER {ROW_TRIGGER} BEFORE UPDATE OR DELETE ON {quoted} "
        "FOR EACH ROW EXECUTE FUNCTION evidence_refuse_change()",
        f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON {quoted}",
        f"CREATE TRIGGER {TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {quoted} "
        "FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse_truncate()",
    ]


def uninstall_sql(table: str) -> list[str]:
    quoted = f'"{table}"'
    return [
        f"DROP TRIGGER IF EXISTS {ROW_TRIGGER} ON {quoted}",
        f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON {quoted}",
    ]


def protect_tables(*tables: str):
    """A migration operation: install both triggers on these tables (PostgreSQL only; nothing on SQLite)."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            for sql in install_sql(table):
                schema_editor.execute(sql, params=None)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            for sql in uninstall_sql(table):
                schema_editor.execute(sql, params=None)

    return migrations.RunPython(forwards, backwards, elidable=False)


def unprotected_tables(connection=default_connection) -> list[str]:
    """Evidence tables missing either trigger, or with one disabled (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = ANY(%s) AND t.tgname = ANY(%s) AND t.tgenabled = 'O' "
            "AND n.nspname = ANY(current_schemas(false))",
            [evidence_tables(), [ROW_TRIGGER, TRUNCATE_TRIGGER]],
        )
        present = set(cursor.fetchall())
    return [t for t in evidence_tables() if {(t, ROW_TRIGGER), (t, TRUNCATE_TRIGGER)} - present]


@contextmanager
def triggers_disabled_by_owner(connection, *tables: str):
    """As the tables' owner, and in the open transaction: their triggers off, then on again.

    Only the schema owner (a migration re-keying the audit log, say) can do this; the application's role
    cannot (it does not own the tables). Nothing on SQLite, which has no such triggers.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
