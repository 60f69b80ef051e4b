"""The casework gate: before any casework opens, a person must have acknowledged the current version of the
Children in Care policy that the executive head chose (Settings → Casework gate).

`CaseworkGateMiddleware` holds it in front of every casework URL, the casework admin included, so a new
view cannot forget it. It fails closed: if the policy cannot be checked, casework stays shut. Until the
head chooses a policy there is nothing to acknowledge, and the gate is open.

A grace period after a material change: a person who had acknowledged an earlier version keeps casework
until their acknowledgement of the new one is due (the policy's working days), with a banner on every
casework page saying by when (`request.casework_grace`, shown by templates/base.html and, in the casework
admin, as a warning message). Someone who never acknowledged any version is gated at once. Both the gate
and the banner link to the policy with `?next=` the casework page, and acknowledging returns there.
"""

import datetime
import functools
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from policy import audience
from policy.models import PolicyPage
from trust.personal_pages import generations

logger = logging.getLogger(__name__)


@dataclass
class GateClosed:
    title: str
    url: str
    version: int | None
    unavailable: bool = False  # the policy could not be checked: nobody can say it was acknowledged


@dataclass
class GraceOpen:
    """Outstanding, but still within the time allowed: casework stays open until `due_on` (inclusive)."""

    title: str
    url: str
    version: int
    due_on: datetime.date


UNCHECKABLE = GateClosed(title="the Children in Care policy", url="/policies/", version=None, unavailable=True)


def children_in_care_policy():
    """The live policy chosen in Settings → Casework gate, or None."""
    return PolicyPage.objects.live().filter(gate_settings__isnull=False).first()


_STATE_ATTR = "_casework_gate_state"


def _gate_state(user, request=None):
    """(closed, grace) for the person, worked out once per request (kept on the user object), and kept
    in the shared cache for the day under the content and person generations when the request is given."""
    state = getattr(user, _STATE_ATTR, None)
    if state is not None:
        return state
    key = _kept_key(request)
    if key is not None:
        state = cache.get(key)
        if state is not None:
            setattr(user, _STATE_ATTR, state)
            return state
    state = _work_out_state(user)
    if key is not None and state[0] is not UNCHECKABLE:
        cache.set(key, state, timeout=settings.PERSONAL_PAGE_CACHE_SECONDS)
    return state


def _kept_key(request):
    """The person's gate state depends on the policy, its versions, their memberships (the content generation),
    their receipts (the person's generation) and today (a grace period ends): a key made of all of them is
    renewed by a new version, a receipt, a leaver or a new role at once (trust/personal_pages.py)."""
    if request is None or not settings.PERSONAL_PAGE_CACHE:
        return None
    return f"casework-gate:{request.user.pk}:{generations(request)}:{timezone.localdate():%Y%m%d}"


def _work_out_state(user):
    try:
        page = children_in_care_policy()
        status = audience.status_for(user, page) if page is not None else None
    except Exception:  # noqa: BLE001 - whatever broke, casework must stay shut rather than open
        logger.exception("The casework gate could not check the Children in Care policy")
        return UNCHECKABLE, None  # not kept: the next request asks again
    if status is None or not status.outstanding:
        state = (None, None)
    else:
        url = page.url or f"/policies/{page.slug}/"
        today = timezone.localdate()
        if status.last_receipt is not None and status.due_on is not None and status.due_on >= today:
            state = (None, GraceOpen(page.title, url, status.version_number, status.due_on))
        else:
            state = (GateClosed(title=page.title, url=url, version=status.version_number), None)
    setattr(user, _STATE_ATTR, state)
    return state


def gate_for(user, request=None) -> GateClosed | None:
    """None when the person may go on; otherwise what they must acknowledge first."""
    return _gate_state(user, request)[0]


def grace_for(user) -> GraceOpen | None:
    """The grace period the person is in, if any (casework open, acknowledgement outstanding): read from the
    state `gate_for` worked out for this request, so the banner costs no query of its own."""
    state = getattr(user, _STATE_ATTR, None)
    return state[1] if state else None


def with_next(url: str, request) -> str:
    """The policy's address with `next` the casework page asked for, to return to after acknowledging."""
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


def gate_response(request, closed: GateClosed):
    context = {"gate": closed, "gate_link": with_next(closed.url, request)}
    response = render(request, "casework/gate.html", context, status=403)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


@functools.cache
def gated_prefixes() -> tuple[str, ...]:
    return (reverse("casework:home"), reverse("wagtailadmin_home") + "casework/")


@functools.cache
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
            closed = gate_for(request.user, request)
            if closed:
                return gate_response(request, closed)
            grace = grace_for(request.user)
            if grace:
                request.casework_grace = grace
                request.casework_grace_link = with_next(grace.url, request)
                if path.startswith(gated_prefixes()[1]) and request.method == "GET":
                    messages.warning(request, grace_message(grace))
        return self.get_response(request)


def grace_message(grace: GraceOpen) -> str:
    return (
        f"Version {grace.version} of {grace.title} is new: acknowledge it by {grace.due_on:%A %-d %B %Y}. "
        "Until then casework stays open; after that it closes until you have."
    )
