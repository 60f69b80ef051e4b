"""The live policy and guidance pages kept for everyone (policy/audience.py `kept_live_page`): what routing, the
policy page and acknowledging take instead of reading the page. Each request gets its own copy, and a new
version, an unpublished page or a new page shows at once."""

import pytest

from policy.audience import kept_live_page
from policy.tests.factories import make_guidance, make_policy, publish_change

pytestmark = pytest.mark.django_db


def test_each_request_gets_its_own_copy(personas):
    policy = make_policy()
    first, second = kept_live_page(policy.pk), kept_live_page(policy.pk)

    first.added_by_one_request = True

    assert (first.pk, second.pk) == (policy.pk, policy.pk)
    assert first is not second and not hasattr(second, "added_by_one_request")


def test_a_new_version_an_unpublished_page_and_a_new_page_show_at_once(personas):
    policy = make_policy()
    assert kept_live_page(policy.pk).reader_version_number == 1

    policy, _ = publish_change(policy, material=True, summary="New duties.")
    assert kept_live_page(policy.pk).reader_version_number == 2

    guidance = make_guidance(acknowledgement_required=True)
    assert kept_live_page(guidance.pk).title == guidance.title

    policy.unpublish()
    assert kept_live_page(policy.pk) is None


def test_only_live_policy_and_guidance_pages_are_kept(personas):
    policy = make_policy()
    assert kept_live_page(policy.get_parent().pk) is None  # the policies' index
    assert kept_live_page(10**9) is None


def test_nothing_is_kept_without_a_cache_every_process_shares(personas, settings):
    settings.PERSONAL_PAGE_CACHE = False
    assert kept_live_page(make_policy().pk) is None
