from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from trust.access import current_memberships

from .compiled import found_page_ids, search_results
from .query import clean_query, excerpt, highlight, terms_of
from .result_list import result_items
from .results import shown_pages
from .sources import searchable_page_ids_for

PER_PAGE = 10


class OnePageOfResults:
    """What the paginator needs of the results: the ids of the page asked for are read first, and the database is
    asked to count them only when that page is full or past the end (a first page with fewer than PER_PAGE results
    is all of them). Each slice is read by search.compiled, whose SQL is built once per process."""

    def __init__(self, page_ids, terms, number):
        self.page_ids, self.terms, self.number = page_ids, terms, number
        start = (number - 1) * PER_PAGE
        self.rows = found_page_ids(page_ids, terms, start, start + PER_PAGE) if number >= 1 else []
        short = len(self.rows) < PER_PAGE and (self.rows or number == 1)
        self._count = start + len(self.rows) if short else None

    def count(self):
        if self._count is None:
            self._count = search_results(self.page_ids, self.terms).count() if self.page_ids and self.terms else 0
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, slice) and key.start == (self.number - 1) * PER_PAGE:
            return self.rows
        return found_page_ids(self.page_ids, self.terms, key.start or 0, key.stop)


# Beyond any trust's results: a larger number is shown as the last page (the database cannot take it as an offset).
MAX_PAGE_NUMBER = 10_000


def _page_number(raw) -> int:
    try:
        return min(int(raw), MAX_PAGE_NUMBER)
    except (TypeError, ValueError):
        return 1


@require_GET
def search(request):
    if not current_memberships(request.user):
        raise PermissionDenied
    query = clean_query(request.GET.get("q"))
    terms = terms_of(query)
    page_ids = searchable_page_ids_for(request) if terms else set()
    number = _page_number(request.GET.get("page", 1))
    paginator = Paginator(OnePageOfResults(page_ids, terms, number), PER_PAGE)
    try:
        page_obj = paginator.page(number)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
    hits = list(page_obj.object_list)  # page ids, best first
    shown = shown_pages(request, hits)
    items = [
        {
            "page": page,
            "url": page.url,
            "title": highlight(page.title, terms),
            "excerpt": excerpt(page.text, terms),
            "kind": page.kind,
        }
        for page in (shown.get(page_id) for page_id in hits)
        if page is not None  # unpublished or deleted since it was found
    ]
    return TemplateResponse(
        request,
        "search/results.html",
        {
            "search_query": query,
            "searched": bool(terms),
            "typed_something": bool(query),
            "items": items,
            "result_items": result_items(items),
            "page_obj": page_obj,
            "paginator": paginator,
        },
    )
