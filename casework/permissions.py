"""Who may do what with casework: pure predicates, each beside the queryset it mirrors.

Only a school's designated teacher sees its children; trust-wide roles see none unless they are also
that school's designated teacher (trust.access.own_school_ids). The trust administrator, as data
protection officer, may read the access log of a child (ids and times, no content).
"""

from trust.access import has_role, own_school_ids
from trust.enums import Role


def is_designated_teacher(user) -> bool:
    return bool(own_school_ids(user))


def can_view_child(user, child) -> bool:
    return child is not None and child.school_id in own_school_ids(user)


def child_queryset(user):
    from .models import Child

    return Child.objects.for_user(user)


def can_view_access_log(user, child) -> bool:
    return can_view_child(user, child) or has_role(user, Role.TRUST_ADMIN)
