"""The casework home's children, read with SQL the ORM compiled once per process and number of schools.

Building and compiling `Child.objects.for_user(user).only(…)` cost the home about 1,300 Python calls on every view,
answering it a fraction of that. Its shape changes only with how many schools the person holds, so the ORM builds
it once for each count with stand-in school ids (negative: no school has one) and each view runs that SQL with the
person's own. The rows are read afresh every time; only the statement is kept.
"""

from django.db import connections

from .models import Child
from .models.scoped import in_schools

# What the home's list shows of a child (and sorts by): never the date of birth, UPN or contacts it does not show.
LISTED_FIELDS = ("school", "legal_first_name", "legal_last_name", "preferred_name", "year_group", "cohort")

_statements = {}  # (database alias, number of schools): (sql, params with a school's place as None, field names)


def listed_children(school_ids, using="default") -> list[Child]:
    """The children of these schools, only the listed fields, in the model's order."""
    ids = sorted(school_ids)
    if not ids:
        return []
    sql, params, names = _statements.get((using, len(ids))) or _compile(using, len(ids))
    given = iter(ids)
    values = [next(given) if param is None else param for param in params]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, values)
        return [Child.from_db(using, names, row) for row in cursor.fetchall()]


def _compile(using, count):
    stand_ins = list(range(-1, -count - 1, -1))
    query = in_schools(Child, stand_ins).only(*LISTED_FIELDS).query
    compiler = query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    slots = [None if param in stand_ins else param for param in params]
    if slots.count(None) != count:
        raise ValueError(f"the school ids were written into the SQL, not passed: {sql}")
    names = [column.target.attname for column, _sql, _alias in compiler.select]
    _statements[(using, count)] = statement = (sql, slots, names)
    return statement
