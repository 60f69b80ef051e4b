import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import LazyObject

from .access import known_not_to_need_mfa, needs_mfa
from .personal_pages import casework_generations, content_generation
from .request_generations import one_request

MFA_VERIFIED_SESSION_KEY = "trust_mfa_verified"

# While enrolling, a person may reach sign-in, sign-out, the MFA screens and static files only.
_ENROLMENT_PREFIXES = ("/accounts/", "/static/", "/health/")


def _session_passed_mfa(request) -> bool:
    if request.session.get(MFA_VERIFIED_SESSION_KEY):
        return True
    records = get_authentication_records(request, request.user)
    if any(record.get("method") == "mfa" for record in records):
        return True
    # Enrolling (which needs the password again and a valid code) proves the factor for this session.
    signed_in_at = min((record["at"] for record in records if "at" in record), default=None)
    totp = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).first()
    return bool(totp and signed_in_at and totp.created_at.timestamp() >= signed_in_at)


MFA_NOT_NEEDED_SESSION_KEY = "trust_mfa_not_needed"


def _known_not_to_need_mfa(request) -> bool:
    """Whether the person needs no second factor, asked of the database once until their rights change.

    With a shared cache, the answer "not needed" is kept in the session beside the content, person and
    casework generations (trust/personal_pages.py): any new role, group, permission or account change renews
    the first two, and any casework record the last, since a delegation can become active through its child
    (a leaving date cleared) without a change to the delegation or the person. Without a shared cache, a
    renewal in one process would not reach the others, so the database is asked each time.
    """
    if not settings.PERSONAL_PAGE_CACHE:
        return not needs_mfa(request.user)
    current = f"{casework_generations(request)}:{timezone.localdate().isoformat()}"  # a role may start on a date
    if request.session.get(MFA_NOT_NEEDED_SESSION_KEY) != current:
        if needs_mfa(request.user):
            return False
        request.session[MFA_NOT_NEEDED_SESSION_KEY] = current
    known_not_to_need_mfa(request.user)  # the rest of the request asks no more (`could_edit_pages`)
    return True


def note_sign_in(request):
    """At sign-in (the session is being saved anyway), what the first page would otherwise work out and save
    again: that the session was just touched, and whether the person needs a second factor."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[IdleSessionMiddleware.TOUCH_KEY] = int(time.time())
    user = getattr(request, "user", None)
    if settings.PERSONAL_PAGE_CACHE and user is not None and user.is_authenticated:
        _known_not_to_need_mfa(request)


def _resolved_user(request):
    """The person AuthenticationMiddleware put on the request, no longer behind its SimpleLazyObject: every
    request asks who they are here anyway, and each later `request.user.<anything>` (the templates ask hundreds
    of times a page) would otherwise go through the lazy object's proxy."""
    user = getattr(request, "user", None)
    if isinstance(user, LazyObject):
        user.is_authenticated  # noqa: B018 (reads the person from the session, as the lazy object would)
        user = request.user = user._wrapped
    return user


class RequireMFAMiddleware:
    """People whose role needs MFA must enrol before any page, and every session must have passed it.

    The second check closes any sign-in path that skips allauth's MFA stage (such as Wagtail's
    own /admin/login/): such a session is ended at its first request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Everything after this point reads each generation from the shared cache once (trust/request_generations.py).
        with one_request():
            user = _resolved_user(request)
            if settings.PERSONAL_PAGE_CACHE and user is not None and user.is_authenticated:
                # Every generation in one round trip (the MFA check and the person's copies need them), remembered
                # for the request: what is kept for everyone (kept_for_content) then asks the cache no more.
                content_generation(request)
            return self._checked(request)

    def _checked(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(MFA_VERIFIED_SESSION_KEY)
            and not _known_not_to_need_mfa(request)
        ):
            if _session_passed_mfa(request):
                request.session[MFA_VERIFIED_SESSION_KEY] = True
            elif Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                logout(request)
                return redirect(reverse("account_login"))
            elif not request.path.startswith(_ENROLMENT_PREFIXES):
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class IdleSessionMiddleware:
    """Push a signed-in session's expiry on at most once a minute, not on every request.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) costs a database write per
    page. Touching it once a minute keeps the idle timeout to within a minute of SESSION_IDLE_MINUTES.
    """

    TOUCH_KEY = "trust_touched_at"
    TOUCH_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(self.TOUCH_KEY, 0) >= self.TOUCH_EVERY_SECONDS:
                session[self.TOUCH_KEY] = now  # marks the session modified: SessionMiddleware saves it
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Nothing shown to a signed-in person is kept by a browser or shared cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
