from django.contrib.auth.models import Group

from .enums import GROUP_NAMES


def sync_role_groups(user) -> None:
    """Make the person's role groups match their current memberships (other groups are left alone)."""
    from .access import forget_memberships
    from .models import Membership

    forget_memberships(user)
    current_roles = set(Membership.objects.current().filter(user=user).values_list("role", flat=True))
    role_groups = {g.name: g for g in Group.objects.filter(name__in=GROUP_NAMES.values())}
    wanted = [role_groups[GROUP_NAMES[r]] for r in current_roles if GROUP_NAMES[r] in role_groups]
    unwanted = [g for name, g in role_groups.items() if g not in wanted]
    user.groups.remove(*unwanted)
    user.groups.add(*wanted)
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)
