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

import re

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF
from csp.middleware import CSPMiddleware

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


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with same-origin framing for the admin's preview responses only.

    A preview is rendered by Wagtail through a second, internal pass of the whole middleware chain for the
    previewed page's own (front-end) URL, so the response arrives with that URL's policy and X-Frame-Options
    DENY already set. Only its frame-ancestors directive is rewritten (script-src, and any nonce the page
    used, stay as rendered). This middleware sits where csp.middleware.CSPMiddleware sat, before
    XFrameOptionsMiddleware, so on the way out it runs after it."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if is_admin_preview(request.path_info):
            for header in (HEADER, HEADER_REPORT_ONLY):
                if header in response:
                    response[header] = framed_by_self(response[header])
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response
