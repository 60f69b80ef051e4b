"""The search's SQL, built once per process for each set of pages, words and slice, and run afresh every time.

Building it (modelsearch's ranking expressions, then Django's compiler) cost a search more CPU than everything else
in the view; running it costs a fraction. Only the SQL text and its parameters are kept, never a result: the rows
are read from the database on every search, so a page published, unpublished or re-indexed is found, or not, at
once. The statement is exactly the one the ORM would run (the same ranking, ties broken by page id), read for the
page ids alone. Kept under the content generation (`trust.personal_pages.kept_for_content`), so a change to the
pages or their types rebuilds it, and bounded in number: a guard on memory, whatever people type.
"""

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from wagtail.models import Page

from trust.personal_pages import kept_for_content

_MAX_STATEMENTS_KEPT = 1000


def search_results(page_ids, terms):
    """Live pages among `page_ids` matching `terms`, best first (Wagtail search): modelsearch's results."""
    return Page.objects.live().filter(pk__in=page_ids).search(" ".join(terms))


def found_page_ids(page_ids, terms, start: int, stop: int | None) -> list[int]:
    """The ids of results start..stop of `search_results(page_ids, terms)`, in their order."""
    if not page_ids or not terms or (stop is not None and stop <= start):
        return []
    key = (frozenset(page_ids), tuple(terms), start, stop)
    kept = kept_for_content("search-statements", dict)
    statement = kept.get(key)
    if statement is None:
        statement = _statement(page_ids, terms, start, stop)
        if len(kept) >= _MAX_STATEMENTS_KEPT:
            kept.clear()
        kept[key] = statement
    if statement.sql is None:
        return []  # nothing can match (the compiler said so)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        return [row[statement.id_column] for row in cursor.fetchall()]


class _Statement:
    __slots__ = ("sql", "params", "id_column")

    def __init__(self, sql, params, id_column):
        self.sql, self.params, self.id_column = sql, params, id_column


def _statement(page_ids, terms, start, stop) -> _Statement:
    """The SQL the search backend builds for this slice of results, and which of its columns is the page id."""
    queryset = search_results(sorted(page_ids), terms)[start:stop].get_queryset()
    compiler = queryset.query.get_compiler(DEFAULT_DB_ALIAS)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Statement(None, (), 0)
    id_column = next(
        index
        for index, (column, _sql, _alias) in enumerate(compiler.select)
        if getattr(getattr(column, "target", None), "primary_key", False) and column.alias == Page._meta.db_table
    )
    return _Statement(sql, tuple(params), id_column)
