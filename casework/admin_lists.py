"""What a casework admin list may read from its query string: its declared filters, nothing else."""

from django.contrib.admin.utils import get_fields_from_path

from .models.scoped import via_child

# What modeladmin's own list filters (Django's FieldListFilter family) put after a declared field path.
FILTER_LOOKUPS = ("exact", "isnull", "gte", "lt")
LONGEST_VALUE = 200  # characters: longer than any name, UPN or search a person types


def school_filter(model) -> str:
    """The list filter by the child's school, along the model's declared case_path (models/scoped.py):
    `school` on the children's list, `child__school` on the PEPs'."""
    return via_child(model, "school")


def declared_filter_parameters(model, list_filter) -> frozenset[str]:
    """The query-string names that the declared `list_filter` paths use, ending in the lookup each filter
    appends: `child__school__id__exact` for a declared `child__school`, never `child__school__name__regex`."""
    names = set()
    for entry in list_filter:
        path = entry[0] if isinstance(entry, tuple | list) else entry
        if not isinstance(path, str):
            continue  # a custom filter class declares its own parameters; casework uses none
        field = get_fields_from_path(model, path)[-1]
        names.update(f"{path}__{lookup}" for lookup in FILTER_LOOKUPS)
        if field.is_relation:
            names.add(f"{path}__{field.target_field.name}__exact")
    return frozenset(names)


def unusable_query(query) -> str | None:
    """A plain-English reason a query string cannot be used at all, or None."""
    for key, values in query.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return "The address has a character (a NUL byte) that no filter or search can use."
        if len(key) > LONGEST_VALUE or any(len(value) > LONGEST_VALUE for value in values):
            return f"A filter or search in the address is longer than {LONGEST_VALUE} characters."
    return None
