"""The site root finds a page in two queries (home/routing.py) and answers exactly as Wagtail's walk would."""

import pytest

from conftest import sign_in
from policy.tests.factories import make_policy

pytestmark = pytest.mark.django_db


def test_a_policy_its_own_routes_and_its_index_answer(client, personas):
    policy = make_policy("Children in Care policy")
    sign_in(client, personas.staff)
    assert "Children in Care policy" in client.get(policy.url).content.decode()
    assert client.get(f"{policy.url}versions/").status_code == 200
    assert client.get(policy.get_parent().url).status_code == 200


@pytest.mark.parametrize("suffix", ["no-such-page/", "versions/no-such-route/", "acknowledge/extra/"])
def test_unknown_paths_under_a_policy_are_not_found(client, personas, suffix):
    policy = make_policy("Children in Care policy")
    sign_in(client, personas.staff)
    assert client.get(f"{policy.url}{suffix}").status_code == 404


def test_an_unpublished_page_is_not_found_though_its_path_exists(client, personas):
    policy = make_policy("Children in Care policy")
    url = policy.url
    policy.unpublish()
    sign_in(client, personas.staff)
    assert client.get(url).status_code == 404


def test_the_same_page_is_found_as_by_wagtails_own_walk(rf, personas):
    from wagtail.models import Page, Site

    from home.routing import deepest_page

    policy = make_policy("Children in Care policy")
    root = Site.objects.get(is_default_site=True).root_page.specific
    components = [c for c in policy.url.split("/") if c]
    page, remaining = deepest_page(root, [*components, "versions"])
    walked = Page.route(root, rf.get(policy.url), components).page
    assert (type(page), page.pk, remaining) == (type(walked), walked.pk, ["versions"])


def test_the_tree_and_the_policies_are_read_once_for_everyone_then_only_other_pages(
    rf, personas, django_assert_num_queries
):
    from wagtail.models import Site

    from home.routing import deepest_page

    policy = make_policy("Children in Care policy")
    root = Site.objects.get(is_default_site=True).root_page.specific
    components = [c for c in policy.url.split("/") if c]
    deepest_page(root, components)  # the tree and the live policy and guidance pages are kept for the content generation
    with django_assert_num_queries(0):
        page, remaining = deepest_page(root, [*components, "versions"])
    assert (type(page), page.pk, remaining) == (type(policy), policy.pk, ["versions"])
    with django_assert_num_queries(1):  # any other page: itself, as its specific type
        index, remaining = deepest_page(root, components[:1])
    assert (index.pk, remaining) == (policy.get_parent().pk, [])


def test_a_new_or_renamed_page_is_found_where_it_is_at_once(client, personas):
    sign_in(client, personas.staff)
    first = make_policy("Children in Care policy")
    assert client.get(first.url).status_code == 200  # the tree is kept
    second = make_policy("Attendance policy")
    assert "Attendance policy" in client.get(second.url).content.decode()  # new: found at once

    old_url = second.url
    second.slug = "attendance-and-punctuality"
    second.save_revision().publish()
    second.refresh_from_db()
    assert client.get(old_url).status_code == 404
    assert "Attendance policy" in client.get(second.url).content.decode()
