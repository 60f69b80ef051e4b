"""Wagtail's page privacy (PageViewRestriction) as one rule for every list and every page view.

A person sees a page, or its title in any list, to-do, search result or count, only if they pass every
view restriction on the page and its ancestors: "logged in" (everyone signed in), "groups" (a member
of one of its groups, or a superuser). Password restrictions are off (WAGTAIL_PRIVATE_PAGE_OPTIONS):
one left in the database is passed by no one.

- `openable(queryset, user)`: the pages of a queryset the person may open (a subquery: no extra query).
- `may_open(user, page)`: the same for one page; trust/wagtail_hooks.py refuses the page view with it, so a
  page and the lists can never disagree.
- `opener(user)`: the same rule as a function of a tree path, for many pages already in memory. It reads the
  site's view restrictions once per content generation (`trust.personal_pages.kept_for_content`, the same for
  everyone) and the person's groups only when a group restriction is on the way: usually no query at all.
"""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


def failed_restrictions(user):
    """The view restrictions this person does not pass."""
    if not getattr(user, "is_authenticated", False):
        return PageViewRestriction.objects.all()
    failed = Q(restriction_type=PageViewRestriction.PASSWORD)
    if not user.is_superuser:
        passed = PageViewRestriction.objects.filter(groups__in=user.groups.all()).values("pk")
        failed |= Q(restriction_type=PageViewRestriction.GROUPS) & ~Q(pk__in=passed)
    return PageViewRestriction.objects.filter(failed)


def _failed_on_or_above(user, path):
    # A restriction covers its page and every descendant: their tree paths start with its page's path.
    return failed_restrictions(user).filter(page__path=Substr(path, 1, Length("page__path")))


def openable(queryset, user, path="path"):
    """`path`: where the queryset's rows keep the page's tree path, e.g. "page__path" for links to pages."""
    return queryset.filter(~Exists(_failed_on_or_above(user, OuterRef(path))))


def _all_restrictions() -> list[tuple[str, str, frozenset]]:
    """(page path, type, group ids) of every view restriction in the site: the same for everyone."""
    from .personal_pages import kept_for_content

    def build():
        groups: dict[int, set] = {}
        for restriction_id, group_id in PageViewRestriction.groups.through.objects.values_list(
            "pageviewrestriction_id", "group_id"
        ):
            groups.setdefault(restriction_id, set()).add(group_id)
        return [
            (path, kind, frozenset(groups.get(pk, ())))
            for pk, path, kind in PageViewRestriction.objects.values_list("pk", "page__path", "restriction_type")
        ]

    return kept_for_content("trust.page_privacy.restrictions", build)


def restricted_on_or_above(path) -> bool:
    """Whether any view restriction is on the page at `path` or above it (from the content generation's list)."""
    return any(path.startswith(on) for on, _, _ in _all_restrictions())


def alias_on_or_above(path) -> bool:
    """Whether the page at `path` or one of its ancestors is an alias, whose source's restrictions then apply
    (from the content generation's list of aliases)."""
    from wagtail.models import Page

    from .personal_pages import kept_for_content

    def build():
        return frozenset(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True))

    return any(path.startswith(alias) for alias in kept_for_content("trust.page_privacy.alias_paths", build))


def opener(user):
    """A function of a page's tree path: whether the person passes every view restriction on it and above.
    The same rule as `failed_restrictions`, for pages already read."""
    restrictions = _all_restrictions()
    if not restrictions:
        return lambda path: True
    if not getattr(user, "is_authenticated", False):
        return lambda path: not any(path.startswith(on) for on, _, _ in restrictions)
    state = {}

    def group_ids():
        if "groups" not in state:
            state["groups"] = set(user.groups.values_list("pk", flat=True))
        return state["groups"]

    def fails(kind, groups):
        if kind == PageViewRestriction.PASSWORD:
            return True
        if kind == PageViewRestriction.GROUPS and not user.is_superuser:
            return not (groups & group_ids())
        return False

    return lambda path: not any(path.startswith(on) and fails(kind, groups) for on, kind, groups in restrictions)


def may_open(user, page) -> bool:
    return opener(user)(page.path)
