"""The casework gate: before any casework opens, a person must have acknowledged the current version of the
Children in Care policy that the executive head chose (Settings → Casework gate).

`CaseworkGateMiddleware` holds it in front of every casework URL, the casework admin included, so a new
view cannot forget it. It fails closed: if the policy cannot be checked, casework stays shut. Until the
head chooses a policy there is nothing to acknowledge, and the gate is open.
"""

import logging
from dataclasses import dataclass
from functools import cache

from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from policy import audience
from policy.models import PolicyPage

logger = logging.getLogger(__name__)


@dataclass
class GateClosed:
    title: str
    url: str
    version: int | None
    unavailable: bool = False  # the policy could not be checked: nobody can say it was acknowledged


UNCHECKABLE = GateClosed(title="the Children in Care policy", url="/policies/", version=None, unavailable=True)


def children_in_care_policy():
    """The live policy chosen in Settings → Casework gate, or None."""
    return PolicyPage.objects.live().filter(gate_settings__isnull=False).first()


def gate_for(user) -> GateClosed | None:
    """None when the person may go on; otherwise what they must acknowledge first."""
    try:
        page = children_in_care_policy()
        if page is None:
            return None
        status = audience.status_for(user, page)
    except Exception:  # noqa: BLE001 - whatever broke, casework must stay shut rather than open
        logger.exception("The casework gate could not check the Children in Care policy")
        return UNCHECKABLE
    if not status.outstanding:
        return None
    return GateClosed(title=page.title, url=page.url or f"/policies/{page.slug}/", version=status.version_number)


def gate_response(request, closed: GateClosed):
    response = render(request, "casework/gate.html", {"gate": closed}, status=403)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


@cache
def gated_prefixes() -> tuple[str, ...]:
    return (reverse("casework:home"), reverse("wagtailadmin_home") + "casework/")


@cache
def open_prefixes() -> tuple[str, ...]:
    """The receiving school's transfer link: a person outside the trust, with no account here."""
    return (reverse("casework:receive", args=["x"]).rsplit("x", 1)[0],)


class CaseworkGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            request.user.is_authenticated
            and path.startswith(gated_prefixes())
            and not path.startswith(open_prefixes())
        ):
            closed = gate_for(request.user)
            if closed:
                return gate_response(request, closed)
        return self.get_response(request)
