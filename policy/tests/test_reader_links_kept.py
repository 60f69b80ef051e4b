"""The pages a policy's links may name are read once for everyone (policy/reader_links.py, kept under the content
generation), never out of date: a change to the linked page's audience, or its unpublishing, shows at once."""

import pytest
from django.core.cache import cache

from conftest import sign_in
from policy.tests.factories import make_guidance, make_policy, publish_change
from policy.tests.test_dashboard_and_queries import POLICY_PAGE_QUERIES
from trust.enums import Role

pytestmark = pytest.mark.django_db

CLOSED = "(for designated teachers)"
# The policy page's own queries, and whether the reader could edit pages at all (can_read asks whether they may
# edit the linked page; signed in as the tests sign in, MFA passed, nothing has asked it yet): the linked page
# itself, its type and its workflow state are kept for everyone.
WITH_A_CLOSED_LINK_QUERIES = POLICY_PAGE_QUERIES + 1


@pytest.fixture
def linked(personas):
    guidance = make_guidance(
        "The designated teacher guidance", slug="designated-teacher", audience_roles=[Role.DESIGNATED_TEACHER]
    )
    body = [
        {"type": "paragraph", "value": "<p>Read this before a PEP meeting.</p>"},
        {"type": "guidance_link", "value": {"page": guidance.pk, "text": ""}},
    ]
    return make_policy(body=body), guidance


def page_html(client, policy) -> str:
    response = client.get(policy.url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_reader_of_a_page_with_a_closed_link_does_not_look_the_linked_page_up(
    client, personas, linked, django_assert_num_queries
):
    policy, guidance = linked
    sign_in(client, personas.staff)
    cache.clear()
    page_html(client, policy)  # opens the session (no copy kept yet), renders the body, keeps the linked pages
    with django_assert_num_queries(WITH_A_CLOSED_LINK_QUERIES):
        html = page_html(client, policy)
    assert f'{guidance.title} <span class="hint">{CLOSED}</span>' in html


def test_staff_signed_in_without_a_second_factor_are_not_asked_whether_they_edit_the_linked_page(
    client, personas, linked, django_assert_num_queries
):
    """Their session already holds that they need no second factor, so they cannot open the admin where pages
    are edited (`could_edit_pages`): Wagtail's page permissions and workflow are not consulted for them."""
    policy, guidance = linked
    client.force_login(personas.staff, backend="trust.auth_backends.ModelBackend")  # staff: no second factor
    page_html(client, policy)
    with django_assert_num_queries(POLICY_PAGE_QUERIES):
        html = page_html(client, policy)
    assert f'{guidance.title} <span class="hint">{CLOSED}</span>' in html


def test_a_wider_audience_for_the_linked_page_opens_the_link_at_once(client, personas, linked):
    policy, guidance = linked
    sign_in(client, personas.staff)
    assert CLOSED in page_html(client, policy)
    publish_change(guidance, material=False, audience_roles=[Role.DESIGNATED_TEACHER, Role.STAFF])
    html = page_html(client, policy)
    assert f'href="{guidance.url}"' in html and CLOSED not in html


def test_a_narrower_audience_or_unpublishing_closes_the_link_at_once(client, personas, linked):
    policy, guidance = linked
    sign_in(client, personas.dt)
    assert f'href="{guidance.url}"' in page_html(client, policy)
    publish_change(guidance, material=False, audience_roles=[Role.GOVERNOR])
    html = page_html(client, policy)
    assert f'href="{guidance.url}"' not in html and "(for governors)" in html

    client.logout()
    sign_in(client, personas.governor)
    assert f'href="{guidance.url}"' in page_html(client, policy)
    guidance.refresh_from_db()
    guidance.unpublish()
    assert f'href="{guidance.url}"' not in page_html(client, policy)
