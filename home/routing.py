"""Finding the page for a URL in two queries, whatever its depth.

Wagtail's `Page.route` walks the tree one level at a time: for each level a query for the child and
another for its specific type. On a policy page that was the largest single cost of the request. The
site root (`HomePage.route`) instead asks for every page whose URL path is a prefix of the request's
in one query, then loads the deepest as its specific type, and hands it the rest of the path (a
policy's own routes: versions, changes, acknowledge).

It is only a shortcut where the result is the same as Wagtail's walk: if any page on the way has its
own `route` (a routable page, say), the walk is left to Wagtail.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page


def deepest_page(root, path_components):
    """(specific page, remaining components) for the deepest page under `root` on the path, or None where
    Wagtail's own walk must decide (nothing found, or a page on the way routes by itself)."""
    prefixes = [root.url_path + "/".join(path_components[:n]) + "/" for n in range(1, len(path_components) + 1)]
    found = list(
        Page.objects.filter(url_path__in=prefixes, depth__gt=root.depth)
        .order_by("depth")
        .values_list("pk", "depth", "content_type_id")
    )
    if not found:
        return None
    models = [ContentType.objects.get_for_id(content_type_id).model_class() for _pk, _depth, content_type_id in found]
    if any(model is None or model.route is not Page.route for model in models[:-1]):
        return None
    pk, depth, _content_type_id = found[-1]
    if depth - root.depth != len(found):  # a level missing from the path: not a chain from the root
        return None
    page = models[-1].objects.get(pk=pk)
    return page, path_components[depth - root.depth :]
