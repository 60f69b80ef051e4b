"""A signed-in person without admin access asking for /admin/ is told so (403), not sent round in circles.

Wagtail answers them with a redirect to its sign-in page, which sends a signed-in person back to the admin:
a redirect loop with no explanation. Anonymous visitors still go to the sign-in page as before.
"""

from django.shortcuts import render

ADMIN_PREFIX = "/admin/"
# The admin's own sign-in, sign-out and password doors behave as before (trust/tests/test_one_sign_in_path.py).
OPEN_ADMIN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")


class AdminAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        user = getattr(request, "user", None)
        if (
            path.startswith(ADMIN_PREFIX)
            and not path.startswith(OPEN_ADMIN_PATHS)
            and user is not None
            and user.is_authenticated
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            return render(request, "admin_denied.html", status=403)
        return self.get_response(request)
