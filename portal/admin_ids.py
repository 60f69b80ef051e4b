"""Wagtail's admin answers an id that no record can have with 404, not a server error.

A chooser's "chosen" views take the ids of what was chosen from the address (`chosen/<pk>/`) or from `?id=`
and pass them straight to the database: `abc`, a NUL or a number past the largest 64-bit integer raised
ValueError or SQLite's OverflowError in the view, a 500 for anyone who may use the admin. The choosers'
ids are checked here, before their views run, for every chooser Wagtail or the apps register.

A bulk action (/admin/bulk/<app>/<model>/<action>/?id=…, the people screens' "Set active state" among them) takes
its ids the same way, "all" as well, and the listing's parent as `childOf`. For pages, Wagtail reads that parent
with `get()`, so a page that does not exist was a server error too; and "all" with neither a parent nor a search
means every page of the tree, the root included, which no listing sends: deleting them was a server error.

Any admin address, last: a parameter that is a whole number past every id. The listings' filters of several
choices (the pages' owner, site and type, the forms', the people's group, a workflow task's type) pass it on to
the database, which SQLite refuses. A search (`q`) may be any number.
"""

from django.http import Http404
from wagtail.models import Page

from trust.url_converters import is_past_every_id, is_record_id

CHOSEN_VIEWS = {"chosen", "chosen_multiple", "wagtailadmin_choose_page_chosen_multiple"}
BULK_ACTION_VIEW = "wagtail_bulk_action"


class AdminIdsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if not request.path_info.startswith("/admin/"):
            return None
        if any(is_past_every_id(value) for name, values in request.GET.lists() if name != "q" for value in values):
            raise Http404("No such item.")
        if match.url_name == BULK_ACTION_VIEW:
            ids = [value for value in request.GET.getlist("id") if value != "all"] + request.GET.getlist("childOf")
            if not all(is_record_id(value) for value in ids) or not _pages_listed(request, view_kwargs):
                raise Http404("No such item.")
            return None
        if match.url_name not in CHOSEN_VIEWS:
            return None
        ids = [str(value) for value in view_kwargs.values()] + request.GET.getlist("id")
        if not all(is_record_id(value) for value in ids):
            raise Http404("No such item.")
        return None


def _pages_listed(request, view_kwargs) -> bool:
    """For a bulk action on pages: whether what it names is a listing Wagtail shows (its ids already checked)."""
    if (view_kwargs.get("app_label"), view_kwargs.get("model_name")) != ("wagtailcore", "page"):
        return True
    parent = request.GET.get("childOf")
    if parent is not None:
        return Page.objects.filter(pk=parent).exists()
    return "all" not in request.GET.getlist("id") or bool(request.GET.get("q"))
