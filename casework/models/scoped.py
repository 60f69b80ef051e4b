"""Which child a casework record belongs to, declared once per model, and everything derived from it.

Each casework model names the way from one of its rows to its child in a class attribute, `case_path`
(`"child"` for a placement, `"pep__child"` for a SMART target, `""` for the child itself). The child's
school decides who may see the record: its designated teacher, nobody else. From that one declaration come
the queryset scope (`for_user` below), the admin's permission helper and lists (casework/admin_permissions.py,
casework/admin_classes.py), the child an audit event names (casework/audit.py) and the school filter an
admin list offers (casework/admin_lists.py). A model without `case_path` belongs to no child.
"""

from django.db import models

from trust.access import own_school_ids


def case_path(model) -> str | None:
    """The declared way from a row of `model` (a class or an instance) to its child; None for no child."""
    return getattr(model, "case_path", None)


def via_child(model, lookup: str) -> str:
    """`lookup` on the record's child, as a lookup on the record: `school_id` → `pep__child__school_id`."""
    path = case_path(model)
    if path is None:
        raise TypeError(f"{model.__name__} declares no case_path: it belongs to no child.")
    return f"{path}__{lookup}" if path else lookup


def in_own_schools(queryset, user):
    """The rows of children in schools where the person is designated teacher. Default deny."""
    ids = own_school_ids(user)
    if not ids:
        return queryset.none()
    return queryset.filter(**{via_child(queryset.model, "school_id__in"): ids})


def in_schools(model, school_ids):
    """Every row of `model` whose child is in one of these schools (the caller has already scoped the ids)."""
    return model._default_manager.filter(**{via_child(model, "school_id__in"): school_ids})


def child_of(obj):
    """The child a record belongs to (the record itself for a child), or None for a record of no child."""
    if obj is None:
        return None
    path = case_path(obj)
    if path is None:
        return None
    for name in path.split("__") if path else ():
        obj = getattr(obj, name)
    return obj


class ScopedQuerySet(models.QuerySet):
    """`for_user`: the records of children in schools where the person is designated teacher. Default deny."""

    def for_user(self, user):
        return in_own_schools(self, user)
