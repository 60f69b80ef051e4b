"""A query asked at every sign-in, its SQL compiled by the ORM once per process instead of on every call.

Building and compiling a query costs the ORM CPU for every join and subquery, far more than the database takes
to answer a small one: "does this person need a second factor?" (their roles, admin rights and delegations, in
one query: trust.access.needs_mfa) took about 3 ms of CPU to build and compile and 0.1 ms to answer. Its shape
never changes; only the person and the day do. So the ORM builds it once per database with stand-ins for those
values (a negative id, a day in year 1: nothing real), and each call runs that SQL with its own values where the
stand-ins were. The queryset stays the one statement of the rule; this only skips rebuilding it.

A stand-in must reach the compiled SQL as a parameter, never written into its text, and nothing may read the
clock while the query is built (its answer would be that day's for ever): compiling checks both and refuses.
"""

import datetime

from django.db import connections


class CompiledOnce:
    def __init__(self, build, **stand_ins):
        """`build(**values)` returns the queryset; `stand_ins` are its values for compiling (ints or dates that
        no real call can have)."""
        self._build = build
        self._stand_ins = stand_ins
        self._compiled = {}  # database alias: (sql, [parameter or the name of the value that goes there])

    def forget(self):
        """The query's shape changed (something it is built from was added): compile it again when next asked."""
        self._compiled.clear()

    def exists(self, using="default", **values) -> bool:
        """Whether the queryset built for `values` has any row."""
        if values.keys() != self._stand_ins.keys():
            raise TypeError(f"expected values for {sorted(self._stand_ins)}, got {sorted(values)}")
        sql, slots = self._compiled.get(using) or self._compile(using)
        connection = connections[using]
        params = [_adapted(values[slot.name], connection) if isinstance(slot, _Slot) else slot for slot in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() is not None

    def _compile(self, using):
        connection = connections[using]
        query = self._build(**self._stand_ins).query.exists()
        sql, params = query.get_compiler(using=using).as_sql()
        named = {_adapted(value, connection): name for name, value in self._stand_ins.items()}
        slots = [_Slot(named[param]) if _hashable(param) and param in named else param for param in params]
        found = {slot.name for slot in slots if isinstance(slot, _Slot)}
        if found != self._stand_ins.keys():
            raise ValueError(f"{sorted(self._stand_ins.keys() - found)} written into the SQL, not passed: {sql}")
        if any(isinstance(slot, datetime.date) for slot in slots):
            raise ValueError(f"a date read while the query was built would stay in it for ever: {sql}")
        self._compiled[using] = (sql, slots)
        return sql, slots


class _Slot:
    def __init__(self, name):
        self.name = name


def _adapted(value, connection):
    """The value as the ORM passes it to the database (SQLite takes dates as text)."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return connection.ops.adapt_datefield_value(value)
    return value


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
