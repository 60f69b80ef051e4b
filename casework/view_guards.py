"""What every casework screen shares: designated teachers only (404 otherwise), and never cached.
"""

from functools import wraps

from django.http import Http404
from django.utils.cache import add_never_cache_headers, patch_cache_control

from trust.access import own_school_ids


def no_store(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def casework_view(view):
    """Designated teachers only (404 otherwise), never cached. The Children in Care policy gate is in front of
    every casework URL (casework.gate.CaseworkGateMiddleware)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not own_school_ids(request.user):
            raise Http404
        return no_store(view(request, *args, **kwargs))

    return wrapper
