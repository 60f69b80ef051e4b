"""Where to go after acknowledging: a `next` address on this site only (never another host or scheme)."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, value) -> str | None:
    value = (value or "").strip()
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None
