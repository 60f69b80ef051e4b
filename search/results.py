"""What the result list shows of each page (its title, address, kind and text), kept in this process under the
content generation (`trust.personal_pages.kept_for_content`): any save of a page or a site renews it, so nothing
shown is out of date. It is the same for everyone who may find the page; which pages a person may find is decided per person
(search.sources), never here."""

from dataclasses import dataclass

from wagtail.models import Page

from trust.personal_pages import kept_for_content

from .query import page_text

_MAX_PAGES_KEPT = 5000  # a guard on memory: far more pages than the trust publishes


@dataclass(frozen=True)
class ShownPage:
    title: str
    url: str
    kind: str  # the page type's name, as shown
    model: str  # the page type's label, e.g. "policy.PolicyPage"
    text: str


def shown_pages(request, page_ids) -> dict[int, ShownPage]:
    """Each found page's ShownPage by page id: the specific pages are loaded only for those not yet kept."""
    if not page_ids:
        return {}
    kept = _kept_for(request)
    missing = [page_id for page_id in page_ids if page_id not in kept]
    if missing:
        if len(kept) + len(missing) > _MAX_PAGES_KEPT:
            kept.clear()
        for page in Page.objects.filter(pk__in=missing).specific():
            kept[page.pk] = ShownPage(
                title=page.title,
                url=page.get_url(request) or "",
                kind=page.specific_class._meta.verbose_name if page.specific_class else "page",
                model=page.specific_class._meta.label if page.specific_class else "wagtailcore.Page",
                text=page_text(page),
            )
    return {page_id: kept[page_id] for page_id in page_ids if page_id in kept}


def _kept_for(request) -> dict[int, ShownPage]:
    """This process's pages for the current content generation and this host (a page's address depends on the
    site the request came to), filled as searches find them."""
    return kept_for_content(f"search-shown-pages:{request.get_host()}", dict)
