"""The one place that answers "which schools may this person see, in which role".

Every other app asks here: a predicate for one object, a queryset for many, side by side, so that a
list and a detail page can never disagree. Default deny: no membership, no access.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, Q

from .enums import MFA_ROLES, TRUST_WIDE_ROLES, Role
from .models import Membership, School

_CACHE_ATTR = "_trust_current_memberships"


def current_memberships(user) -> list[Membership]:
    """The person's current memberships, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.current().filter(user=user).select_related("school"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user) -> set[str]:
    return {m.role for m in current_memberships(user)}


def has_role(user, *roles: str, school: School | int | None = None) -> bool:
    """True if the person holds any of `roles`; with `school`, in that school (trust-wide roles cover all)."""
    school_id = getattr(school, "pk", school)
    for membership in current_memberships(user):
        if membership.role not in roles:
            continue
        if school_id is None or membership.role in TRUST_WIDE_ROLES or membership.school_id == school_id:
            return True
    return False


def is_trust_wide(user, *roles: str) -> bool:
    wanted = set(roles) or TRUST_WIDE_ROLES
    return any(m.role in wanted and m.role in TRUST_WIDE_ROLES for m in current_memberships(user))


def school_ids_for(user, *roles: str) -> set[int] | None:
    """IDs of schools where the person holds one of `roles`; None means every school (trust-wide role)."""
    ids: set[int] = set()
    for membership in current_memberships(user):
        if membership.role not in roles:
            continue
        if membership.role in TRUST_WIDE_ROLES:
            return None
        ids.add(membership.school_id)
    return ids


def schools_for(user, *roles: str):
    """Schools where the person holds one of `roles` (every school for a trust-wide role)."""
    ids = school_ids_for(user, *roles)
    if ids is None:
        return School.objects.all()
    return School.objects.filter(pk__in=ids)


def own_school_ids(user, roles: Iterable[str] = (Role.DESIGNATED_TEACHER,)) -> set[int]:
    """Schools where the person holds a school-scoped role; trust-wide roles do NOT widen this.

    Casework uses it: the executive head sees no child unless also a school's designated teacher.
    """
    return {m.school_id for m in current_memberships(user) if m.role in roles and m.school_id}


def needs_mfa(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or roles_of(user) & MFA_ROLES:
        return True
    return _may_open_admin(user)


def _may_open_admin(user) -> bool:
    """May open the Wagtail admin, or holds an active casework delegation (delegated entry reaches a
    child's PEP), in ONE query: this runs on every request of a person who is not yet MFA-verified, and
    has_perm would load all their permissions in two."""
    from casework.models import Delegation  # lazily: trust never imports casework at module level

    if not user.is_active:
        return False
    delegated = Delegation.objects.of_delegate(user)
    if hasattr(user, "_perm_cache"):
        return user.has_perm("wagtailadmin.access_admin") or delegated.exists()
    admin_access = Permission.objects.filter(
        Q(user=user) | Q(group__user=user), content_type__app_label="wagtailadmin", codename="access_admin"
    )
    either = Q(Exists(admin_access)) | Q(Exists(delegated))
    return get_user_model().objects.filter(either, pk=user.pk).exists()


def primary_school(user) -> School | None:
    schools = [m.school for m in current_memberships(user) if m.school_id]
    return schools[0] if schools else None
