"""Wagtail's choosers answer an id that no record can have with 404, not a server error.

A chooser's "chosen" views take the ids of what was chosen from the address (`chosen/<pk>/`) or from `?id=`
and pass them straight to the database: `abc`, a NUL or a number past the largest 64-bit integer raised
ValueError or SQLite's OverflowError in the view, a 500 for anyone who may use the admin. The choosers'
ids are checked here, before their views run, for every chooser Wagtail or the apps register.
"""

from django.http import Http404

from trust.url_converters import is_record_id

CHOSEN_VIEWS = {"chosen", "chosen_multiple", "wagtailadmin_choose_page_chosen_multiple"}


class ChooserIdsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.url_name not in CHOSEN_VIEWS or not request.path_info.startswith("/admin/"):
            return None
        ids = [str(value) for value in view_kwargs.values()] + request.GET.getlist("id")
        if not all(is_record_id(value) for value in ids):
            raise Http404("No such item.")
        return None
