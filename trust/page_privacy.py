"""Wagtail's page privacy (PageViewRestriction) as one rule for every list and every page view.

A person sees a page, or its title in any list, to-do, search result or count, only if they pass every
view restriction on the page and its ancestors: "logged in" (everyone signed in), "groups" (a member
of one of its groups, or a superuser). Password restrictions are off (WAGTAIL_PRIVATE_PAGE_OPTIONS):
one left in the database is passed by no one.

- `openable(queryset, user)`: the pages of a queryset the person may open (a subquery: no extra query).
- `may_open(user, page)`: the same for one page (one query); trust/wagtail_hooks.py refuses the page
  view with it, so a page and the lists can never disagree.
"""

from django.db.models import Exists, OuterRef, Q, Value
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


def may_open(user, page) -> bool:
    return not _failed_on_or_above(user, Value(page.path)).exists()
