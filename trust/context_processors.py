from .access import current_memberships
from .enums import Role

BRIEFING_ROLES = {Role.GOVERNOR, Role.EXECUTIVE_HEAD, Role.TRUST_ADMIN, Role.DESIGNATED_TEACHER}


def memberships(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = current_memberships(user)
    roles = {m.role for m in held}
    return {
        "current_memberships": held,
        "nav_briefing": bool(roles & BRIEFING_ROLES),
        "nav_casework": Role.DESIGNATED_TEACHER in roles,
        "nav_access_log": Role.DATA_PROTECTION_OFFICER in roles,  # the DPO's way to the casework access log
        "nav_admin": bool(roles & {Role.EXECUTIVE_HEAD, Role.TRUST_ADMIN, Role.DESIGNATED_TEACHER}),
    }
