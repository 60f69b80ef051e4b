"""The one place that answers "which schools may this person see, in which role".

Every other app asks here: a predicate for one object, a queryset for many, side by side, so that a
list and a detail page can never disagree. Default deny: no membership, no access.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, Q
from django.utils import timezone

from .compiled_sql import CompiledOnce
from .enums import MFA_ROLES, TRUST_WIDE_ROLES, Role
from .models import Membership, School

_CACHE_ATTR = "_trust_current_memberships"


def current_memberships(user) -> list[Membership]:
    """The person's current memberships, loaded once per request (cached on the user object), in SQL compiled
    once (trust/compiled_sql.py): building the query cost the ORM three times what the database takes."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _CURRENT_MEMBERSHIPS.instances(person_id=user.pk)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def _current_memberships_of(person_id):
    return Membership.objects.current().filter(user_id=person_id).select_related("school")


_CURRENT_MEMBERSHIPS = CompiledOnce(_current_memberships_of, person_id=-1_000_001)  # an id no person has


def forget_memberships(user) -> None:
    for attr in (_CACHE_ATTR, _NEEDS_MFA_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def roles_of(user) -> set[str]:
    return {m.role for m in current_memberships(user)}


def covers(membership: Membership, school_ids: Iterable[int] | None) -> bool:
    """Whether the membership reaches one of `school_ids` (None: any school): a trust-wide role covers every school."""
    return school_ids is None or membership.role in TRUST_WIDE_ROLES or membership.school_id in school_ids


def covering(memberships, school_ids: Iterable[int] | None):
    """The same rule on a queryset of memberships: those that reach one of `school_ids` (None: any school)."""
    return memberships.filter(covering_q(school_ids))


def covering_q(school_ids: Iterable[int] | None) -> Q:
    """The same rule as a condition on a membership's fields (to test many memberships in one pass)."""
    if school_ids is None:
        return Q()
    return Q(school_id__in=school_ids) | Q(role__in=TRUST_WIDE_ROLES)


def has_role(user, *roles: str, school: School | int | None = None) -> bool:
    """True if the person holds any of `roles`; with `school`, in that school (trust-wide roles cover all)."""
    school_id = getattr(school, "pk", school)
    school_ids = None if school_id is None else {school_id}
    return any(m.role in roles and covers(m, school_ids) for m in current_memberships(user))


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


def could_edit_pages(user) -> bool:
    """False when the person certainly cannot edit any page: they need no second factor (`needs_mfa`), so they
    are no superuser and cannot open the admin, where pages are edited. Asked once per request; True leaves the
    page's own permissions to decide (Wagtail's test reads the person's page permissions and, for each page, its
    workflow task: about 2 ms of CPU, for every reader of a page linking outside their audience)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    answer = getattr(user, _NEEDS_MFA_ATTR, None)
    if answer is None:
        answer = needs_mfa(user)
        setattr(user, _NEEDS_MFA_ATTR, answer)
    return answer


_NEEDS_MFA_ATTR = "_trust_needs_mfa"


def known_not_to_need_mfa(user) -> None:
    """The person was found to need no second factor in this request (`needs_mfa`, or the session's answer kept
    until their rights change): `could_edit_pages` asks no more."""
    setattr(user, _NEEDS_MFA_ATTR, False)


def needs_mfa(user) -> bool:
    """Superusers, and anyone who holds a role in MFA_ROLES, may open the Wagtail admin or has a registered way
    into casework (an active delegation): one query, compiled once (trust/compiled_sql.py), since it runs at
    every sign-in and building it afresh cost the ORM thirty times what the database takes to answer it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.is_active and _NEEDS_MFA.exists(person_id=user.pk, today=timezone.localdate())


# Rows of an app above trust that give a person a way into casework without the admin permission (casework's
# delegations reach a child's PEP): each is a function of a person's id and today's date returning a queryset,
# and any row means MFA. Apps register theirs in AppConfig.ready, so that trust imports none of them.
_ADMIN_REACH = {}


def register_admin_reach(name: str, rows_of_person) -> None:
    _ADMIN_REACH[name] = rows_of_person
    _NEEDS_MFA.forget()


def _rights_that_need_mfa(person_id, today):
    """The person (if active) when a current role, the admin permission or a registered reach needs MFA of them."""
    mfa_role = Membership.objects.current().filter(user_id=person_id, role__in=MFA_ROLES)
    admin_access = Permission.objects.filter(
        Q(user__id=person_id) | Q(group__user__id=person_id),
        content_type__app_label="wagtailadmin",
        codename="access_admin",
    )
    either = Q(Exists(mfa_role)) | Q(Exists(admin_access))
    for rows_of_person in _ADMIN_REACH.values():
        either |= Q(Exists(rows_of_person(person_id, today)))
    return get_user_model().objects.filter(either, pk=person_id, is_active=True)


# Stand-ins no real call has: a negative id and a day in year 1.
_NEEDS_MFA = CompiledOnce(_rights_that_need_mfa, person_id=-1_000_001, today=datetime.date(1, 1, 1))


def primary_school(user) -> School | None:
    schools = [m.school for m in current_memberships(user) if m.school_id]
    return schools[0] if schools else None
