"""A query asked at every sign-in or request, its SQL compiled by the ORM once per process instead of on every call.

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
import functools
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models.constants import OnConflict
from django.db.models.query import get_related_populators
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery


class CompiledOnce:
    def __init__(self, build, **stand_ins):
        """`build(**values)` returns the queryset; `stand_ins` are its values for compiling (ints or dates that
        no real call can have)."""
        self._build = build
        self._stand_ins = stand_ins
        self._compiled = {}  # (database alias, what is asked): _Compiled

    def forget(self):
        """The query's shape changed (something it is built from was added): compile it again when next asked."""
        self._compiled.clear()

    def exists(self, using="default", **values) -> bool:
        """Whether the queryset built for `values` has any row."""
        with self._executed(using, "exists", values) as (cursor, _compiled):
            return cursor.fetchone() is not None

    def instances(self, using="default", **values) -> list:
        """The queryset built for `values`, as the model's instances with what it `select_related`, as the ORM
        makes them from its rows (each value converted by the database's converters, e.g. SQLite's dates)."""
        with self._executed(using, "instances", values) as (cursor, compiled):
            rows = cursor.fetchall()
        connection = connections[using]
        start, end = compiled.model_columns
        found = []
        for row in rows:
            if compiled.converters:
                row = list(row)
                for position, (converters, expression) in compiled.converters.items():
                    for converter in converters:
                        row[position] = converter(row[position], expression, connection)
            instance = compiled.model.from_db(using, compiled.init_list, row[start:end])
            for populator in compiled.related_populators:
                populator.populate(row, instance)
            found.append(instance)
        return found

    @contextmanager
    def _executed(self, using, asked, values):
        if values.keys() != self._stand_ins.keys():
            raise TypeError(f"expected values for {sorted(self._stand_ins)}, got {sorted(values)}")
        compiled = self._compiled.get((using, asked)) or self._compile(using, asked)
        connection = connections[using]
        params = [
            _adapted(values[slot.name], connection) if isinstance(slot, _Slot) else slot for slot in compiled.slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            yield cursor, compiled

    def _compile(self, using, asked):
        connection = connections[using]
        query = self._build(**self._stand_ins).query
        if asked == "exists":
            query = query.exists()
        compiler = query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            raise ValueError(
                "a stand-in outside its field's range (e.g. a negative positive integer) asks for nothing"
            ) from None
        named = {_adapted(value, connection): name for name, value in self._stand_ins.items()}
        slots = [_Slot(named[param]) if _hashable(param) and param in named else param for param in params]
        found = {slot.name for slot in slots if isinstance(slot, _Slot)}
        if found != self._stand_ins.keys():
            raise ValueError(f"{sorted(self._stand_ins.keys() - found)} written into the SQL, not passed: {sql}")
        if any(isinstance(slot, datetime.date) for slot in slots):
            raise ValueError(f"a date read while the query was built would stay in it for ever: {sql}")
        compiled = _Compiled(sql, slots, compiler)
        if asked == "instances":
            if compiler.klass_info is None or compiler.annotation_col_map:
                raise ValueError(f"only instances (no values or annotations): {sql}")
            compiled.prepare_instances(using)
        self._compiled[(using, asked)] = compiled
        return compiled


@dataclass
class _Compiled:
    sql: str
    slots: list
    compiler: object  # what the ORM worked out compiling it (columns, related models); its connection is not used
    model: type | None = None
    model_columns: tuple = (0, 0)
    init_list: tuple = ()
    related_populators: tuple = ()
    converters: dict | None = None

    def prepare_instances(self, using):
        """What `ModelIterable` works out from the compiler before making instances: the same for every row."""
        compiler = self.compiler
        info, select = compiler.klass_info, compiler.select
        self.model = info["model"]
        self.model_columns = (info["select_fields"][0], info["select_fields"][-1] + 1)
        self.init_list = tuple(column[0].target.attname for column in select[slice(*self.model_columns)])
        self.related_populators = tuple(get_related_populators(info, select, using))
        self.converters = compiler.get_converters([column[0] for column in select[0 : compiler.col_count]])


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


@functools.cache
def compiled_insert(model, *, ignore_conflicts=False) -> "CompiledInsert":
    """The model's one `CompiledInsert` in this process."""
    return CompiledInsert(model, ignore_conflicts=ignore_conflicts)


class CompiledInsert:
    """One model's INSERT of a new row, its SQL compiled by the ORM once per database instead of on every save.

    Saving a new row builds an InsertQuery and compiles it every time, about 500 Python calls for a dozen fields,
    where the database takes a fraction of that CPU; an acknowledgement writes four rows. Each call here prepares
    the row's values as the compiler does (each field's `pre_save`, then `get_db_prep_save` for this thread's
    connection) and runs the SQL compiled the first time. Only plain rows whose primary key the database gives:
    a proxy, a model with parents, database defaults or generated fields, or a value that is an expression, is
    refused rather than written differently from `save()`.
    """

    def __init__(self, model, *, ignore_conflicts=False):
        self._model = model
        self._ignore_conflicts = ignore_conflicts
        self._compiled = {}  # database alias: (sql, fields, returns the primary key)

    def save_new(self, obj, using="default"):
        """What `obj.save()` does for a new row of a plain model: pre_save, the INSERT (the primary key read back),
        post_save with `created=True`; the instance is then saved, as after `save()`."""
        obj._prepare_related_fields_for_save(operation_name="save")
        pre_save.send(sender=type(obj), instance=obj, raw=False, using=using, update_fields=None)
        self.insert(obj, using)
        post_save.send(sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=using)
        return obj

    def insert(self, obj, using="default") -> bool:
        """The row alone, as `bulk_create([obj])` writes it: no signals. With `ignore_conflicts`, False when the
        database kept the row already there; the primary key is then not read back."""
        if type(obj) is not self._model:
            raise TypeError(f"a {self._model._meta.label} was expected, not {type(obj).__name__}")
        if obj.pk is not None:
            raise ValueError("a new row's primary key is the database's to give")
        sql, fields, returns_pk = self._compiled.get(using) or self._compile(using)
        connection = connections[using]
        params = []
        for field in fields:
            value = field.pre_save(obj, add=True)
            if hasattr(value, "resolve_expression"):
                raise ValueError(f"{field.name}: an expression is written by save(), not by a compiled insert")
            params.append(field.get_db_prep_save(value, connection=connection))
        with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
            cursor.execute(sql, params)
            if returns_pk:
                (obj.pk,) = cursor.fetchone()
            written = cursor.rowcount != 0
        obj._state.adding = False
        obj._state.db = using
        return written

    def _compile(self, using):
        meta = self._model._meta
        if (
            meta.proxy
            or meta.parents
            or meta.auto_field is None
            or any(f.generated or f.has_db_default() for f in meta.concrete_fields)
        ):
            raise ValueError(
                f"{meta.label}: only a plain model's rows, their primary key given by the database (no proxy, "
                "parents, database defaults or generated fields)"
            )
        connection = connections[using]
        fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
        query = InsertQuery(self._model, on_conflict=OnConflict.IGNORE if self._ignore_conflicts else None)
        query.insert_values(fields, [self._model()])
        compiler = query.get_compiler(using=using)
        returns_pk = not self._ignore_conflicts
        if returns_pk:
            if not connection.features.can_return_columns_from_insert:
                raise ValueError(f"{connection.vendor} cannot return the new row's primary key from its INSERT")
            compiler.returning_fields = [meta.auto_field]
        ((sql, params),) = compiler.as_sql()
        if len(params) != len(fields) or sql.count("%s") != len(fields):
            raise ValueError(f"{meta.label}: each field must be one parameter: {sql}")
        self._compiled[using] = (sql, fields, returns_pk)
        return self._compiled[using]
