"""Who may see briefing completion, for which schools, and with whose names.

- Governors: their own school(s), numbers only.
- Designated teachers: their own school(s), with who is outstanding.
- The executive head: every school, with who is outstanding.
- Trust administrators: every school, numbers only.
- Staff and people with no role: refused.
"""

from trust.access import current_memberships
from trust.enums import Role

SCHOOL_ROLES = (Role.GOVERNOR, Role.DESIGNATED_TEACHER)


def briefing_school_ids(user):
    """School ids this person may see; None means every school; empty means no access."""
    ids: set[int] = set()
    for m in current_memberships(user):
        if m.role in (Role.EXECUTIVE_HEAD, Role.TRUST_ADMIN):
            return None
        if m.role in SCHOOL_ROLES:
            ids.add(m.school_id)
    return ids


def can_see_briefing(user) -> bool:
    ids = briefing_school_ids(user)
    return ids is None or bool(ids)


def can_see_briefing_for(user, school) -> bool:
    ids = briefing_school_ids(user)
    return ids is None or getattr(school, "pk", school) in ids


def names_school_ids(user, school_ids) -> frozenset:
    """Of `school_ids`, those where this person may see who is outstanding."""
    memberships = current_memberships(user)
    if any(m.role == Role.EXECUTIVE_HEAD for m in memberships):
        return frozenset(school_ids)
    own = {m.school_id for m in memberships if m.role == Role.DESIGNATED_TEACHER}
    return frozenset(pk for pk in school_ids if pk in own)


def chasing_school_ids(user):
    """Schools whose outstanding people this person may remind: the executive head every school (None),
    a designated teacher their own school(s); anyone else none (an empty set)."""
    memberships = current_memberships(user)
    if any(m.role == Role.EXECUTIVE_HEAD for m in memberships):
        return None
    return {m.school_id for m in memberships if m.role == Role.DESIGNATED_TEACHER}
