from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.models import Page

from trust.access import current_memberships

from .query import clean_query, excerpt, highlight, page_text, terms_of
from .sources import searchable_page_ids_for

PER_PAGE = 10


def search_pages(request, terms):
    """Live pages the signed-in person's audience may see, matching `terms` (Wagtail search, best first)."""
    ids = searchable_page_ids_for(request)
    if not ids or not terms:
        return Page.objects.none()
    return Page.objects.live().filter(pk__in=ids).search(" ".join(terms))


@require_GET
def search(request):
    if not current_memberships(request.user):
        raise PermissionDenied
    query = clean_query(request.GET.get("q"))
    terms = terms_of(query)
    results = search_pages(request, terms) if terms else Page.objects.none()
    paginator = Paginator(results, PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
    hits = list(page_obj.object_list)
    specific = {p.pk: p for p in Page.objects.filter(pk__in=[h.pk for h in hits]).specific()}
    items = []
    for hit in hits:
        page = specific.get(hit.pk, hit)
        items.append(
            {
                "page": page,
                "title": highlight(page.title, terms),
                "excerpt": excerpt(page_text(page), terms),
                "kind": page.specific_class._meta.verbose_name if page.specific_class else "page",
            }
        )
    return TemplateResponse(
        request,
        "search/results.html",
        {
            "search_query": query,
            "searched": bool(terms),
            "typed_something": bool(query),
            "items": items,
            "page_obj": page_obj,
            "paginator": paginator,
        },
    )
