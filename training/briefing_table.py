"""The report's people and what each has done, computed once into a temporary table, then counted.

Every figure of the briefing report is a count over the same people (each with a current membership as
staff or governor) and the same facts about each person: which requirements apply to them and which
they have done. Those facts are two bit masks a person (`app_<j>`, `done_<j>`: bit `s % 62` of group
`s // 62` stands for the requirement whose page has slot s), read in one pass over current memberships
and the done masks the database keeps a person (training/briefing_done.py), instead of one lookup per
person and requirement. Django's ORM cannot join or aggregate over those derived tables, so this module stores one
row a person once in a temporary table of the connection and counts with plain GROUP BY queries over it.
Column names and masks come from this code, never from input; other values are always query parameters.
"""

from collections.abc import Iterable, Mapping
from contextlib import contextmanager

from django.db import connection, transaction

TABLE = "briefing_flags"


class FlagTable:
    """Counts and rows of the temporary table (one row a person)."""

    def __init__(self, person_columns: list[str]):
        self.person_columns = person_columns  # the person's facts

    def count(self, group_by: Iterable[str], counts: Mapping[str, str | None], where: str) -> list[dict]:
        """One row per group of the rows meeting `where`: for each alias in `counts`, the rows where its
        integer expression is not 0 (None: every row). The caller's `where` keeps one row a person in each
        group, so rows are people."""
        group_by = list(group_by)
        columns = [
            f"COUNT(*) AS {alias}" if expression is None else f"COUNT(NULLIF({expression}, 0)) AS {alias}"
            for alias, expression in counts.items()
        ]
        sql = f"SELECT {', '.join(group_by + columns)} FROM {TABLE} WHERE {where}"  # noqa: S608
        if group_by:
            sql += f" GROUP BY {', '.join(group_by)}"
        return self._rows(sql, [])

    def select_memberships(
        self, memberships: tuple[str, list], columns: Iterable[str], where: str, params: list, order_by: Iterable[str]
    ) -> list[dict]:
        """`columns` of the people's memberships (`memberships`: a SELECT giving `p_user`, and its parameters),
        each joined with its person's row (`t`) where `where`."""
        sql, memberships_params = memberships
        sql = " ".join(
            [
                f"SELECT {', '.join(columns)} FROM ({sql}) m JOIN {TABLE} t ON t.p_user = m.p_user",  # noqa: S608
                f"WHERE {where} ORDER BY {', '.join(order_by)}",
            ]
        )
        return self._rows(sql, [*memberships_params, *params])

    def people_sql(self) -> str:
        """The table's people, one row each with their facts (to join with other tables)."""
        return f"SELECT {', '.join(['p_user', *self.person_columns])} FROM {TABLE}"  # noqa: S608

    @staticmethod
    def _rows(sql, params) -> list[dict]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def flag_table(sql: str, params: list, person_columns: list[str]):
    """`sql`: a SELECT whose columns become the table's (it must give `p_user`)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {TABLE} AS {sql}", params)
        cursor.execute(_analyze_sql())  # the planner knows nothing of a new table: a bad plan costs more
        yield FlagTable(person_columns)
        # On an error the transaction rolls back, and the table's creation with it.
        cursor.execute(f"DROP TABLE {TABLE}")


def _analyze_sql() -> str:
    """The table's size and the statistics of what its rows are joined on (p_user) and chosen by (p_rows).
    Not the masks (tested with `&`, which no statistics help) nor what is only grouped on: on PostgreSQL
    those cost most of the ANALYZE at 5,000 staff. SQLite takes no column list."""
    if connection.vendor == "postgresql":
        return f"ANALYZE {TABLE} (p_user, p_rows)"
    return f"ANALYZE {TABLE}"


def values_sql(rows: list[tuple]) -> tuple[str, list]:
    """`VALUES (%s, ...), ...` for `rows` (at least one), and its parameters."""
    placeholders = ", ".join(f"({', '.join(['%s'] * len(row))})" for row in rows)
    return f"VALUES {placeholders}", [value for row in rows for value in row]


def db_value(value):
    """A datetime as the database compares it with the table's columns (SQLite keeps text)."""
    return connection.ops.adapt_datetimefield_value(value)
