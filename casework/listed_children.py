"""The casework home's children, read with SQL the ORM compiled once per process and number of schools.

Building and compiling `in_schools(Child, …).only(…)` cost the home about 1,300 Python calls on every view,
answering it a fraction of that. Its shape changes only with how many schools the person holds, so the ORM builds
it once for each count (trust/compiled_sql.py) and each view runs that SQL with the person's own school ids. The
rows are read afresh every time; only the statement is kept.
"""

from trust.compiled_sql import CompiledOnce

from .models import Child
from .models.scoped import in_schools

# What the home's list shows of a child (and sorts by): never the date of birth, UPN or contacts it does not show.
LISTED_FIELDS = ("school", "legal_first_name", "legal_last_name", "preferred_name", "year_group", "cohort")

_BY_NUMBER_OF_SCHOOLS: dict[int, CompiledOnce] = {}


def _children_of(**school_ids):
    return in_schools(Child, list(school_ids.values())).only(*LISTED_FIELDS)


def listed_children(school_ids, using="default") -> list[Child]:
    """The children of these schools, only the listed fields, in the model's order."""
    ids = sorted(school_ids)
    if not ids:
        return []
    query = _BY_NUMBER_OF_SCHOOLS.get(len(ids))
    if query is None:
        # Stand-ins no school has (negative ids), one for each school.
        query = CompiledOnce(_children_of, **{f"school_{n}": -n for n in range(1, len(ids) + 1)})
        _BY_NUMBER_OF_SCHOOLS[len(ids)] = query
    return query.instances(using, **{f"school_{n}": school_id for n, school_id in enumerate(ids, start=1)})
