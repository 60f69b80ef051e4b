from .access import current_memberships


def memberships(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_memberships": current_memberships(user)}
