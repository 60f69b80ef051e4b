"""Finding the page for a URL in two queries, whatever its depth (one, with a shared cache).

Wagtail's `Page.route` walks the tree one level at a time: for each level a query for the child and
another for its specific type. On a policy page that was the largest single cost of the request. The
site root (`HomePage.route`) instead asks for every page whose URL path is a prefix of the request's
in one query, then loads the deepest as its specific type (a policy or guidance page is taken from those
kept for everyone instead), and hands it the rest of the path (a policy's own routes: versions, changes).

It is only a shortcut where the result is the same as Wagtail's walk: if any page on the way has its
own `route` (a routable page, say), the walk is left to Wagtail.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from policy.audience import kept_live_page
from trust.personal_pages import kept_for_content


def deepest_page(root, path_components):
    """(specific page, remaining components) for the deepest page under `root` on the path, or None where
    Wagtail's own walk must decide (nothing found, or a page on the way routes by itself)."""
    prefixes = [root.url_path + "/".join(path_components[:n]) + "/" for n in range(1, len(path_components) + 1)]
    found = _pages_on_the_way(prefixes, root.depth)
    if not found:
        return None
    models = [ContentType.objects.get_for_id(content_type_id).model_class() for _pk, _depth, content_type_id in found]
    if any(model is None or model.route is not Page.route for model in models[:-1]):
        return None
    pk, depth, _content_type_id = found[-1]
    if depth - root.depth != len(found):  # a level missing from the path: not a chain from the root
        return None
    if models[-1] is None:
        return None
    kept = kept_live_page(pk)  # a policy or guidance page, as kept for everyone for the content generation
    if kept is not None and kept.url_path == prefixes[len(found) - 1]:
        return kept, path_components[depth - root.depth :]
    try:  # at the URL path the tree gave: a page moved or deleted round the signals is left to Wagtail's walk
        page = models[-1].objects.get(pk=pk, url_path=prefixes[len(found) - 1])
    except models[-1].DoesNotExist:
        return None
    return page, path_components[depth - root.depth :]


def _pages_on_the_way(prefixes, below_depth) -> list[tuple[int, int, int]]:
    """(pk, depth, content type id) of each page whose URL path is one of `prefixes`, below `below_depth`, by depth."""
    if not getattr(settings, "PERSONAL_PAGE_CACHE", False):  # nothing kept between requests: ask for these alone
        return list(
            Page.objects.filter(url_path__in=prefixes, depth__gt=below_depth)
            .order_by("depth")
            .values_list("pk", "depth", "content_type_id")
        )
    tree = _tree_by_url_path()
    return sorted(
        (row for prefix in prefixes for row in tree.get(prefix, ()) if row[1] > below_depth), key=lambda row: row[1]
    )


def _tree_by_url_path() -> dict[str, tuple]:
    """Every page's (pk, depth, content type id) by URL path: the tree, the same for everyone, read once per content
    generation (trust.personal_pages.kept_for_content: any save or delete of a page renews it) instead of once
    for each page built afresh. Only the page found is then read, as its specific type, on each request."""

    def build():
        tree: dict[str, list] = {}
        for pk, url_path, depth, content_type_id in Page.objects.values_list("pk", "url_path", "depth", "content_type_id"):
            tree.setdefault(url_path, []).append((pk, depth, content_type_id))
        return {url_path: tuple(rows) for url_path, rows in tree.items()}

    return kept_for_content("home.routing.tree_by_url_path", build)
