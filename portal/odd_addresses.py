"""An address with a NUL character in its path is no page of the portal's: 404, before any view reads it.

No URL the portal makes has one. PostgreSQL refuses a NUL in any text it is given, so a view that looked up a
path's words there raised a server error: Wagtail's workflow task form, /admin/workflows/tasks/add/<app>/<model>/,
for anyone with admin access (portal/tests/test_odd_addresses.py found it).
"""

from django.http import Http404


class NoNulInPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No such page.")
        return self.get_response(request)
