"""The report's people and what each has done, computed once into a temporary table, then counted.

Every figure of the briefing report is a count over the same rows (a person's current membership as
staff or governor, with a flag per requirement): by school, by role, by requirement, week by week.
Written as subqueries inside each count's filter, the database evaluates every flag again for every
count: seconds at 5,000 staff. Django's ORM cannot aggregate over a derived table, so this module
builds the rows with the ORM, stores them once in a temporary table of the connection, and counts
with plain GROUP BY queries over it. Column names come from this code, never from input; values are
always query parameters.
"""

from collections.abc import Iterable, Mapping
from contextlib import contextmanager

from django.db import connection, transaction

TABLE = "briefing_flags"


class FlagTable:
    """Counts of distinct people over the rows in the temporary table."""

    def count(self, group_by: Iterable[str], counts: Mapping[str, tuple[str | None, list]]) -> list[dict]:
        """One row per group: for each alias in `counts`, the distinct people meeting its (condition, params).

        A condition of None counts everyone in the group.
        """
        group_by = list(group_by)
        columns, params = [], []
        for alias, (condition, condition_params) in counts.items():
            if condition is None:
                columns.append(f"COUNT(DISTINCT p_user) AS {alias}")
            else:
                columns.append(f"COUNT(DISTINCT CASE WHEN {condition} THEN p_user END) AS {alias}")
                params += condition_params
        sql = f"SELECT {', '.join(group_by + columns)} FROM {TABLE}"  # noqa: S608 - names from this module
        if group_by:
            sql += f" GROUP BY {', '.join(group_by)}"
        return self._rows(sql, params)

    def select(self, columns: Iterable[str], where: str, params: list, order_by: Iterable[str]) -> list[dict]:
        sql = f"SELECT {', '.join(columns)} FROM {TABLE} WHERE {where} ORDER BY {', '.join(order_by)}"  # noqa: S608
        return self._rows(sql, params)

    @staticmethod
    def _rows(sql, params) -> list[dict]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def flag_table(rows):
    """`rows`: a values() queryset; its aliases become the table's columns (it must give `p_user`)."""
    sql, params = rows.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {TABLE} AS {sql}", params)
        yield FlagTable()
        # On an error the transaction rolls back, and the table's creation with it.
        cursor.execute(f"DROP TABLE {TABLE}")


def db_value(value):
    """A datetime as the database compares it with the table's columns (SQLite keeps text)."""
    return connection.ops.adapt_datetimefield_value(value)
