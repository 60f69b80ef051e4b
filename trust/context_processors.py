from django.utils.functional import SimpleLazyObject

from .access import current_memberships
from .enums import Role

BRIEFING_ROLES = {Role.GOVERNOR, Role.EXECUTIVE_HEAD, Role.TRUST_ADMIN, Role.DESIGNATED_TEACHER}


def memberships(request):
    """The page header's roles and links. Lazy: every template rendered with the request runs this (the line
    "Successfully signed in as …" at sign-in, say), and only a page's header needs the person's memberships."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def holds(roles):
        return SimpleLazyObject(lambda: any(m.role in roles for m in current_memberships(user)))

    return {
        "current_memberships": SimpleLazyObject(lambda: current_memberships(user)),
        "nav_briefing": holds(BRIEFING_ROLES),
        "nav_casework": holds({Role.DESIGNATED_TEACHER}),
        "nav_access_log": holds({Role.DATA_PROTECTION_OFFICER}),  # the DPO's way to the casework access log
        "nav_admin": holds({Role.EXECUTIVE_HEAD, Role.TRUST_ADMIN, Role.DESIGNATED_TEACHER}),
    }
