"""Give the application's PostgreSQL role exactly the rights it needs; run by the schema owner after each migrate.

Evidence tables (models with `append_only_evidence`, trust/evidence_db.py): SELECT and INSERT only.
`django_migrations`: SELECT only. Every other table: SELECT, INSERT, UPDATE, DELETE. Every sequence: USAGE
and SELECT. Anything else the role held on a table is revoked first, so running it again after a migrate
covers new tables and takes back what should not be there. It refuses a role that is a superuser, owns or
may act as the owner of an evidence table (it could then disable the triggers), and a database whose
evidence tables lack their triggers.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from trust.evidence_db import evidence_tables, unprotected_tables

EVIDENCE_RIGHTS = "SELECT, INSERT"
READ_ONLY_TABLES = {"django_migrations": "SELECT"}
OTHER_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Command(BaseCommand):
    help = "Grant the application's database role SELECT and INSERT only on evidence tables (run as the owner)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the PostgreSQL role the application connects as")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL; the embedded SQLite database has no roles.")
        with transaction.atomic(), connection.cursor() as cursor:
            self.check_role(cursor, role)
            missing = unprotected_tables(connection)
            if missing:
                raise CommandError(
                    f"These evidence tables lack their append-only triggers: {', '.join(missing)}. "
                    "Run `manage.py migrate` first."
                )
            cursor.execute(
                "SELECT n.nspname, c.relname, c.relkind FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p', 'S') AND n.nspname = ANY(current_schemas(false)) "
                "ORDER BY c.relname"
            )
            relations = cursor.fetchall()
            evidence = set(evidence_tables())
            counts = {"evidence": 0, "other": 0, "sequences": 0}
            grantee = quote(role)
            for schema in sorted({schema for schema, _, _ in relations}):
                cursor.execute(f"GRANT USAGE ON SCHEMA {quote(schema)} TO {grantee}")
            for schema, name, kind in relations:
                target = f"{quote(schema)}.{quote(name)}"
                if kind == "S":
                    cursor.execute(f"REVOKE ALL ON SEQUENCE {target} FROM {grantee}")
                    cursor.execute(f"GRANT USAGE, SELECT ON SEQUENCE {target} TO {grantee}")
                    counts["sequences"] += 1
                    continue
                rights = EVIDENCE_RIGHTS if name in evidence else READ_ONLY_TABLES.get(name, OTHER_RIGHTS)
                cursor.execute(f"REVOKE ALL ON TABLE {target} FROM {grantee}")
                cursor.execute(f"GRANT {rights} ON TABLE {target} TO {grantee}")
                counts["evidence" if name in evidence else "other"] += 1
        self.stdout.write(
            f"{role}: SELECT, INSERT on {counts['evidence']} evidence tables ({', '.join(sorted(evidence))}); "
            f"{OTHER_RIGHTS} on {counts['other']} other tables (SELECT only on django_migrations); "
            f"USAGE, SELECT on {counts['sequences']} sequences."
        )

    def check_role(self, cursor, role):
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            raise CommandError(f"There is no database role called {role!r}: create it first (CREATE ROLE … LOGIN).")
        if row[0]:
            raise CommandError(f"{role} is a superuser: the application's role must not be one.")
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = ANY(%s) AND n.nspname = ANY(current_schemas(false)) "
            "AND pg_has_role(%s, c.relowner, 'MEMBER') ORDER BY c.relname",
            [evidence_tables(), role],
        )
        owned = [name for (name,) in cursor.fetchall()]
        if owned:
            raise CommandError(
                f"{role} owns (or may act as the owner of) {', '.join(owned)}, so it could disable their triggers. "
                "Connect the application as a role that does not own the schema."
            )
