"""The dashboard panel and the policy page each take a fixed number of queries, whatever the data."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import RequestFactory
from wagtail.models import Site

from conftest import sign_in
from policy.acknowledgements import create_receipt
from policy.tests.factories import make_guidance, make_policy, publish_change
from policy.versions import current_version
from policy.wagtail_hooks import policy_dashboard_panel

pytestmark = pytest.mark.django_db

# Read afresh after a change of content: the user, memberships, the view restrictions (2: with their groups),
# 2 × (live pages + their schools), the sites' root paths (each page's address; Wagtail keeps them in the cache,
# emptied here), versions, receipts. All but the person's own are kept for everyone until the
# content changes again (trust.personal_pages.kept_for_content): the next person's panel reads the user, their
# memberships and their receipts.
DASHBOARD_QUERIES = 11
NEXT_PERSONS_PANEL_QUERIES = 3
# session, user, memberships, the reader's receipts. The page with its current version and the publication that
# started it (policy/audience.py `kept_live_page`, taken by home/routing.py), the site, the tree of pages by URL
# path, trust's privacy check (trust/page_privacy.py) and whether a restriction or an alias is on the way for
# Wagtail's own check (policy/models/pages.py) are kept for everyone until the content changes. 6 before the page
# and its versions were kept.
POLICY_PAGE_QUERIES = 4


def panel_for(user):
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(pk=user.pk)  # no cached memberships
    return policy_dashboard_panel(request)


def acknowledge(person, page):
    version = current_version(page)
    return create_receipt(person, page, version, version.revision_id)


def test_the_dashboard_lists_what_is_still_to_read_with_due_dates_and_what_is_done(client, personas):
    done = make_policy("Done policy", slug="done")
    make_policy("To read", slug="to-read")
    acknowledge(personas.staff, done)
    sign_in(client, personas.staff)
    html = client.get("/").content.decode()
    to_read, acknowledged = html.split("<h3>Acknowledged</h3>")
    assert "To read" in to_read and "due" in to_read
    assert "Done policy" in acknowledged


def test_the_dashboard_has_no_policy_panel_for_someone_with_no_role(personas):
    make_policy()
    assert panel_for(personas.nobody) is None


@pytest.mark.parametrize("many", [False, True])
def test_the_dashboard_panel_takes_a_fixed_number_of_queries(personas, django_assert_num_queries, many):
    pages = [make_policy(f"Policy {n}", slug=f"policy-{n}") for n in range(5 if many else 1)]
    if many:
        make_guidance(acknowledgement_required=True)
        for page in pages[:3]:
            acknowledge(personas.staff, page)
            publish_change(page, material=False)
        brook_only = make_policy("Brook only", slug="brook-only", applies_to_all_schools=False)
        brook_only.schools.set([personas.brook])
        brook_only.save()
    Site.clear_site_root_paths_cache()
    with django_assert_num_queries(DASHBOARD_QUERIES):
        panel = panel_for(personas.staff)
    assert len(panel.context["outstanding"]) + len(panel.context["acknowledged"]) == (7 if many else 1)
    with django_assert_num_queries(NEXT_PERSONS_PANEL_QUERIES):
        panel = panel_for(personas.governor)
    assert len(panel.context["outstanding"]) == (7 if many else 1)  # the staff member acknowledged three; not they


@pytest.mark.parametrize("shape", ["one version", "many versions", "a minor correction last"])
def test_the_policy_page_takes_a_fixed_number_of_queries(client, personas, django_assert_num_queries, shape):
    page = make_policy()
    if shape != "one version":
        for n in range(4):  # minor, material, minor, material: version 3
            page, _ = publish_change(page, material=bool(n % 2), summary=f"Change {n}")
        for person in (personas.dt, personas.governor, personas.dt_castle):
            acknowledge(person, page)
    if shape == "a minor correction last":
        page, _ = publish_change(page, material=False, summary="Typo fixed")
    sign_in(client, personas.staff)
    cache.clear()
    client.get(page.url)  # the first request also opens the session and renders the body into the cache
    # The version shown comes with the reader's status, unless a minor correction followed it (one more query).
    expected = POLICY_PAGE_QUERIES + (1 if shape == "a minor correction last" else 0)
    with django_assert_num_queries(expected):
        response = client.get(page.url)
    assert response.status_code == 200
    shown = {"one version": "1, published", "many versions": "3, published", "a minor correction last": "3, published"}
    html = response.content.decode()
    assert f"<dt>This version</dt><dd>{shown[shape]}" in html
    assert ("Typo fixed" in html) == (shape == "a minor correction last")
