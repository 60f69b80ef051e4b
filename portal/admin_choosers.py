"""Wagtail's choosers and bulk actions answer an id that no record can have with 404, not a server error.

A chooser's "chosen" views take the ids of what was chosen from the address (`chosen/<pk>/`) or from `?id=`
and pass them straight to the database: `abc`, a NUL or a number past the largest 64-bit integer raised
ValueError or SQLite's OverflowError in the view, a 500 for anyone who may use the admin. The choosers'
ids are checked here, before their views run, for every chooser Wagtail or the apps register. A bulk action
(/admin/bulk/<app>/<model>/<action>/?id=…, the people screens' "Set active state" among them) takes its ids the
same way, and "all" as well.
"""

from django.http import Http404

from trust.url_converters import is_record_id

CHOSEN_VIEWS = {"chosen", "chosen_multiple", "wagtailadmin_choose_page_chosen_multiple"}
BULK_ACTION_VIEW = "wagtail_bulk_action"


class ChooserIdsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if not request.path_info.startswith("/admin/"):
            return None
        if match.url_name == BULK_ACTION_VIEW:
            ids = [value for value in request.GET.getlist("id") if value != "all"]
        elif match.url_name in CHOSEN_VIEWS:
            ids = [str(value) for value in view_kwargs.values()] + request.GET.getlist("id")
        else:
            return None
        if not all(is_record_id(value) for value in ids):
            raise Http404("No such item.")
        return None
