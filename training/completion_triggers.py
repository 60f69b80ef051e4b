"""Installing and removing the triggers on the briefing's completions (training/briefing_tallies.py,
training/briefing_done.py), each database in its own dialect: PostgreSQL one function and its trigger, SQLite
one trigger for each event."""


def create(schema_editor, postgresql: str, sqlite: list[str]) -> None:
    statements = [postgresql] if schema_editor.connection.vendor == "postgresql" else sqlite
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop(schema_editor, function: str, completions: str, sqlite_triggers: list[str]) -> None:
    if schema_editor.connection.vendor == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS {function} ON {completions}", f"DROP FUNCTION IF EXISTS {function}()"]
    else:
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in sqlite_triggers]
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
