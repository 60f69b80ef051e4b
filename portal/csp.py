"""The portal's Content-Security-Policy: one strict policy for every page, and one exception.

Every page, the Wagtail admin's included, is served with settings.CONTENT_SECURITY_POLICY: scripts from
'self' only, never 'unsafe-inline' or 'unsafe-eval'. Wagtail's admin starts its date pickers and inline
panels from inline scripts; the portal's template overrides (templates/wagtailadmin/) render inert JSON
in their place and static/js/admin-init.js starts them, so the admin needs no looser policy.

The exception: Wagtail's live preview shows the page being edited in an <iframe> of the editor itself, so
the admin's preview responses (and the StreamField block previews) may be framed by the portal's own
pages: frame-ancestors 'self' and X-Frame-Options SAMEORIGIN. Every other response keeps
frame-ancestors 'none' and X-Frame-Options DENY.
"""

import functools
import re

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

# Wagtail's preview routes (wagtail/admin/urls/pages.py, the snippet and model viewsets' "preview/" and
# "preview/<pk>/", and admin/block-preview/), under the admin's mount point.
ADMIN_PREVIEW_PATH = re.compile(
    r"^/admin/(?:"
    r"pages/\d+/edit/preview/"
    r"|pages/add/[\w-]+/[\w-]+/\d+/preview/"
    r"|snippets/[\w-]+/[\w-]+/preview/(?:[^/]+/)?"
    r"|block-preview/"
    r")$"
)


def is_admin_preview(path: str) -> bool:
    return bool(ADMIN_PREVIEW_PATH.match(path))


def framed_by_self(policy: str) -> str:
    """The policy with its frame-ancestors directive (added if missing) set to 'self'; the rest untouched."""
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    kept = [part for part in directives if part.split()[0].lower() != "frame-ancestors"]
    return "; ".join([*kept, f"frame-ancestors {SELF}"])


# What a view's csp decorators leave on its response: any of them, and django-csp builds the policy itself.
_PER_RESPONSE = tuple(f"_csp_{kind}{ro}" for kind in ("config", "update", "replace", "exempt") for ro in ("", "_ro"))


@functools.cache
def settings_policies() -> tuple[str, str] | None:
    """The policy and the report-only policy as django-csp builds them from the settings alone (no nonce, no
    decorator), built once rather than for every response; None if either excludes URL prefixes."""
    configs = [
        getattr(settings, name, None) or {}
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    ]
    if any(config.get("EXCLUDE_URL_PREFIXES") for config in configs):
        return None
    return build_policy(), build_policy(report_only=True)


def _forget_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_policies.cache_clear()


setting_changed.connect(_forget_policies)


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with same-origin framing for the admin's preview responses only.

    A preview is rendered by Wagtail through a second, internal pass of the whole middleware chain for the
    previewed page's own (front-end) URL, so the response arrives with that URL's policy and X-Frame-Options
    DENY already set. Only its frame-ancestors directive is rewritten (script-src, and any nonce the page
    used, stay as rendered). This middleware sits where csp.middleware.CSPMiddleware sat, before
    XFrameOptionsMiddleware, so on the way out it runs after it."""

    def process_response(self, request, response):
        response = self._with_policy(request, response)
        if is_admin_preview(request.path_info):
            for header in (HEADER, HEADER_REPORT_ONLY):
                if header in response:
                    response[header] = framed_by_self(response[header])
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def _with_policy(self, request, response):
        """django-csp's headers; for the usual response (no nonce used, no decorator, no header yet) the
        settings' policies as built once."""
        policies = settings_policies()
        if (
            policies is None
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
            or HEADER in response
            or HEADER_REPORT_ONLY in response
        ):
            return super().process_response(request, response)
        policy, report_only = policies
        if policy:
            response[HEADER] = policy
        if report_only:
            response[HEADER_REPORT_ONLY] = report_only
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # as django-csp: too late for a nonce
        return response
