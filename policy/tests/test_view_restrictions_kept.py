"""Wagtail's own view-restriction check on a policy page asks the database only when a restriction or an alias is
on the way (policy/models/pages.py), as known from what is kept for the content generation: a restriction added
afterwards, above the page or on it, and an alias's source's restriction, are still seen at once."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from policy.models import PolicyIndexPage, PolicyPage
from policy.tests.factories import make_policy

pytestmark = pytest.mark.django_db


def restrictions(page):
    return list(Page.objects.get(pk=page.pk).specific.get_view_restrictions())


def test_no_restriction_on_the_way_needs_no_query(personas, django_assert_num_queries):
    page = make_policy()
    fresh = PolicyPage.objects.get(pk=page.pk)
    restrictions(page)  # what is kept for everyone is read once
    with django_assert_num_queries(0):
        assert list(fresh.get_view_restrictions()) == []


@pytest.mark.parametrize("on", ["the page", "the policy index"])
def test_a_restriction_added_after_the_content_was_kept_is_seen_at_once(personas, on):
    page = make_policy()
    assert restrictions(page) == []
    restricted = page if on == "the page" else PolicyIndexPage.objects.get()
    restriction = PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Policy readers"))
    assert restrictions(page) == [restriction]


def test_an_alias_has_its_sources_restrictions(personas):
    page = make_policy()
    alias = page.create_alias(update_slug="children-in-care-alias")
    assert restrictions(alias) == []
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert restrictions(alias) == [restriction]
