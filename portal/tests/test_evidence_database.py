# ruff: noqa: S608 - the SQL names only this module's fixed tables and ids, as an attacker at a psql prompt would
"""Evidence the database refuses to change, on PostgreSQL, whoever asks and whatever their session sets.

Read receipts, training completions, case audit events and audit anchors (trust/evidence_db.py):

- the application's role, as `manage.py grant_app_role` leaves it, connected on its own connection, may
  SELECT and INSERT, and is refused UPDATE, DELETE, TRUNCATE (with or without `SET pgtrigger.ignore`) and
  `ALTER TABLE … DISABLE TRIGGER`;
- the schema owner too is refused UPDATE and DELETE (whatever `pgtrigger.ignore` says) and TRUNCATE.
"""

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="roles and triggers are PostgreSQL's: on SQLite the models refuse changes themselves",
)

APP_ROLE = "portal_app_evidence_test"
OWNER_ROLE = "portal_owner_evidence_test"
TABLES = ["casework_auditanchor", "casework_caseauditevent", "policy_readreceipt", "training_trainingcompletion"]
REFUSED = r"append-only|permission denied|must be owner"


def make_evidence(personas):
    """One row in each evidence table, written the way the portal writes them; {table: row id}."""
    from casework import audit
    from casework.tests.factories import ChildFactory
    from policy.acknowledgements import create_receipt
    from policy.tests.factories import make_policy
    from policy.versions import current_version
    from training.builders import build_module, ensure_training_index
    from training.completion import complete_module
    from trust.enums import Role

    policy = make_policy("Evidence policy", slug="evidence-policy")
    version = current_version(policy)
    receipt = create_receipt(personas.staff, policy, version, version.revision_id)
    module = build_module(ensure_training_index(), "Evidence module", roles=[Role.STAFF])
    completion = complete_module(personas.staff, module, revision_id=module.live_revision_id, answers={}).receipt
    event = audit.record(None, "read", ChildFactory(school=personas.brook), user=personas.dt)
    anchor = audit.anchor_head()
    return {
        "policy_readreceipt": receipt.pk,
        "training_trainingcompletion": completion.pk,
        "casework_caseauditevent": event.pk,
        "casework_auditanchor": anchor.pk,
    }


def insert_copy_sql(table, columns, row_id, other_user_id):
    """An INSERT of a new row like row_id (another person's, or another hash, so no unique rule objects)."""
    overrides = {"user_id": str(other_user_id), "hash": "repeat('e', 64)"}
    if table == "casework_caseauditevent":
        overrides.pop("user_id")
    names = [c for c in columns if c != "id"]
    values = [overrides.get(c, f'"{c}"') for c in names]
    quoted = ", ".join(f'"{c}"' for c in names)
    return (
        f'INSERT INTO "{table}" ({quoted}) SELECT {", ".join(values)} FROM "{table}" WHERE id = {row_id} RETURNING id'
    )


def snapshot(cursor, table):
    cursor.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY id)), count(*) FROM \"{table}\" t")
    return cursor.fetchone()


def drop_role(cursor, role):
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone():
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def ignore_every_trigger_sql(cursor, table):
    """What someone would set to slip past django-pgtrigger's triggers: every trigger on the table, ignored."""
    cursor.execute(
        "SELECT string_agg(tgname, ',') FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table]
    )
    names = cursor.fetchone()[0] or ""
    return f"SET pgtrigger.ignore = '{{{names}}}'"


@pytest.fixture
def app_role(personas):
    with connection.cursor() as cursor:
        drop_role(cursor, APP_ROLE)
        cursor.execute(f'CREATE ROLE "{APP_ROLE}" LOGIN')
    yield APP_ROLE
    with connection.cursor() as cursor:
        drop_role(cursor, APP_ROLE)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_application_role_may_only_read_and_add_evidence(personas, app_role):
    rows = make_evidence(personas)
    assert sorted(rows) == TABLES
    out = __import__("io").StringIO()
    call_command("grant_app_role", app_role, stdout=out)
    assert f"{app_role}: SELECT, INSERT on 4 evidence tables" in out.getvalue()

    db = connection.settings_dict
    with (
        psycopg.connect(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, dbname=db["NAME"], user=app_role, autocommit=True
        ) as app,
        app.cursor() as cursor,
    ):
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role
        for table, row_id in rows.items():
            before = snapshot(cursor, table)
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE id = %s', [row_id])
            assert cursor.fetchone()[0] == 1, f"{table}: SELECT"
            for attempt in (
                [f'UPDATE "{table}" SET id = id WHERE id = {row_id}'],
                [f'DELETE FROM "{table}" WHERE id = {row_id}'],
                [f'TRUNCATE "{table}"'],
                [f'TRUNCATE "{table}" CASCADE'],
                [ignore_every_trigger_sql(cursor, table), f'UPDATE "{table}" SET id = id WHERE id = {row_id}'],
                [ignore_every_trigger_sql(cursor, table), f'DELETE FROM "{table}" WHERE id = {row_id}'],
                [f'ALTER TABLE "{table}" DISABLE TRIGGER USER'],
                [f'ALTER TABLE "{table}" DISABLE TRIGGER ALL'],
                [f'ALTER TABLE "{table}" OWNER TO "{app_role}"'],
            ):
                with pytest.raises(psycopg.Error, match=REFUSED), app.transaction():
                    for sql in attempt:
                        cursor.execute(sql)
                assert snapshot(cursor, table) == before, f"{table} changed by {attempt}"
            columns = [c.name for c in connection.introspection.get_table_description(connection.cursor(), table)]
            cursor.execute(insert_copy_sql(table, columns, row_id, personas.head.pk))
            assert cursor.fetchone()[0] > row_id, f"{table}: INSERT"
            assert snapshot(cursor, table)[1] == before[1] + 1

        # Everywhere else it works as the portal needs: sessions come and go; the migrations are only read.
        cursor.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) VALUES ('evidence-test', '', now())"
        )
        cursor.execute("UPDATE django_session SET session_data = 'x' WHERE session_key = 'evidence-test'")
        cursor.execute("DELETE FROM django_session WHERE session_key = 'evidence-test'")
        assert cursor.rowcount == 1
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert cursor.fetchone()[0] > 0
        with pytest.raises(psycopg.Error, match="permission denied"), app.transaction():
            cursor.execute("DELETE FROM django_migrations")


@pytest.fixture
def owner_role(db):
    """The evidence tables handed, for this test's transaction only, to an owner who is not a superuser."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: ALTER TABLE and TRUNCATE may run
        cursor.execute(f'CREATE ROLE "{OWNER_ROLE}" NOLOGIN')
        for table in TABLES:
            cursor.execute(f'ALTER TABLE "{table}" OWNER TO "{OWNER_ROLE}"')
    return OWNER_ROLE


@pytest.mark.django_db
def test_the_schema_owner_cannot_update_delete_or_truncate_evidence_whatever_the_session_sets(personas, owner_role):
    rows = make_evidence(personas)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'SET LOCAL ROLE "{owner_role}"')
        for table, row_id in rows.items():
            before = snapshot(cursor, table)
            for attempt in (
                ["SET LOCAL pgtrigger.ignore = '{}'", f'UPDATE "{table}" SET id = id WHERE id = {row_id}'],
                [ignore_every_trigger_sql(cursor, table), f'UPDATE "{table}" SET id = id WHERE id = {row_id}'],
                [ignore_every_trigger_sql(cursor, table), f'DELETE FROM "{table}" WHERE id = {row_id}'],
                [f'TRUNCATE "{table}"'],
                [ignore_every_trigger_sql(cursor, table), f'TRUNCATE "{table}"'],
            ):
                with pytest.raises(Exception, match="evidence is append-only"), transaction.atomic():
                    for sql in attempt:
                        cursor.execute(sql.replace("SET pgtrigger", "SET LOCAL pgtrigger"))
                assert snapshot(cursor, table) == before, f"{table} changed by {attempt}"
        cursor.execute("RESET ROLE")


@pytest.mark.django_db
def test_every_evidence_table_carries_both_triggers():
    from trust.evidence_db import evidence_tables, unprotected_tables

    assert evidence_tables() == TABLES
    assert unprotected_tables() == []


@pytest.mark.django_db
def test_granting_refuses_a_role_that_could_switch_the_triggers_off(owner_role):
    with pytest.raises(CommandError, match="no database role called 'nobody_here'"):
        call_command("grant_app_role", "nobody_here")
    with pytest.raises(CommandError, match="is a superuser"):
        call_command("grant_app_role", connection.settings_dict["USER"])
    with pytest.raises(CommandError, match="owns \\(or may act as the owner of\\) casework_auditanchor"):
        call_command("grant_app_role", owner_role)


@pytest.mark.django_db
def test_granting_refuses_while_an_evidence_table_has_no_triggers():
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{APP_ROLE}_2" NOLOGIN')
        cursor.execute("ALTER TABLE policy_readreceipt DISABLE TRIGGER evidence_append_only")
    with pytest.raises(
        CommandError, match="lack their append-only triggers: policy_readreceipt. Run `manage.py migrate`"
    ):
        call_command("grant_app_role", f"{APP_ROLE}_2")
