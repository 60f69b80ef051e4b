"""A person's copy of a policy page (trust/personal_pages.py): served fast, and never out of date.

Every test reads a page three times where it matters: the first visit sets the CSRF cookie, the second
keeps the copy, the third is served from it.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from policy.models import ReadReceipt
from policy.tests.conftest import acknowledge_url
from policy.tests.factories import publish_change
from trust.models import Membership

pytestmark = pytest.mark.django_db

COPY_QUERIES = 2  # the session and the user: no site, no page, no receipt


def without_tokens(html: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())


def warm(client, page):
    for _ in range(2):
        assert client.get(page.url).status_code == 200


def test_a_kept_copy_is_served_without_reading_the_page_again(client, policy, personas, django_assert_num_queries):
    sign_in(client, personas.staff)
    first = client.get(policy.url).content
    client.get(policy.url)
    with django_assert_num_queries(COPY_QUERIES):
        response = client.get(policy.url)
    assert response.status_code == 200
    assert without_tokens(response.content) == without_tokens(first)
    assert "Please read and acknowledge version 1" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def test_copies_are_off_without_a_shared_cache(client, policy, personas, settings, django_assert_max_num_queries):
    settings.PERSONAL_PAGE_CACHE = False
    sign_in(client, personas.staff)
    warm(client, policy)
    with django_assert_max_num_queries(20) as captured:
        client.get(policy.url)
    assert len(captured) > COPY_QUERIES + 5


def test_after_acknowledging_the_page_shows_the_receipt_not_the_old_copy(client, policy, personas):
    sign_in(client, personas.staff)
    warm(client, policy)
    assert "Please read and acknowledge version 1" in client.get(policy.url).content.decode()
    response = client.post(acknowledge_url(policy), {"revision": policy.live_revision_id, "statement": "on"})
    assert response.status_code == 302
    client.get(policy.url)  # shows the "thank you" message: neither served from nor kept as a copy
    html = client.get(policy.url).content.decode()
    assert "Please read and acknowledge" not in html
    assert "You acknowledged version 1" in html


def test_a_material_change_asks_again_at_once(client, policy, personas):
    sign_in(client, personas.staff)
    client.post(acknowledge_url(policy), {"revision": policy.live_revision_id, "statement": "on"})
    warm(client, policy)
    publish_change(policy, material=True, summary="New duty for governors.", user=personas.head)
    html = client.get(policy.url).content.decode()
    assert "Please read and acknowledge version 2" in html


def test_a_leaver_is_refused_at_once(client, policy, personas):
    sign_in(client, personas.staff)
    warm(client, policy)
    membership = Membership.objects.get(user=personas.staff)
    membership.ended_on = timezone.localdate() - timedelta(days=1)
    membership.save()  # as the staff import and the admin do
    assert client.get(policy.url).status_code == 404


def test_each_person_gets_their_own_copy(policy, personas):
    staff, governor = Client(), Client()
    sign_in(staff, personas.staff)
    sign_in(governor, personas.governor)
    warm(staff, policy)
    staff.post(acknowledge_url(policy), {"revision": policy.live_revision_id, "statement": "on"})
    warm(staff, policy)
    warm(governor, policy)
    assert "You acknowledged version 1" in staff.get(policy.url).content.decode()
    assert "Please read and acknowledge version 1" in governor.get(policy.url).content.decode()


def test_a_pending_message_is_shown_not_hidden_by_a_copy(client, policy, personas):
    sign_in(client, personas.staff)
    warm(client, policy)
    client.post(acknowledge_url(policy), {"revision": policy.live_revision_id, "statement": "on"})
    client.post(acknowledge_url(policy), {"revision": policy.live_revision_id, "statement": "on"})
    html = client.get(policy.url).content.decode()
    assert "You have already acknowledged version 1." in html


def test_the_form_in_a_copy_still_passes_the_csrf_check(policy, personas):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, personas.staff)
    warm(client, policy)
    html = client.get(policy.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        acknowledge_url(policy),
        {"revision": policy.live_revision_id, "statement": "on", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert ReadReceipt.objects.filter(user=personas.staff, page=policy).exists()


def test_a_new_csrf_secret_never_meets_an_old_copy(policy, personas):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, personas.staff)
    warm(client, policy)
    client.cookies["csrftoken"] = "a" * 32
    html = client.get(policy.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        acknowledge_url(policy),
        {"revision": policy.live_revision_id, "statement": "on", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_other_routes_of_the_page_are_not_kept(client, policy, personas, django_assert_max_num_queries):
    sign_in(client, personas.staff)
    versions = policy.url + "versions/"
    for _ in range(2):
        assert client.get(versions).status_code == 200
    with django_assert_max_num_queries(30) as captured:
        client.get(versions)
    # Built afresh, not a copy: the reader's receipts are read again.
    assert len(captured) > COPY_QUERIES
    assert any('FROM "policy_readreceipt"' in query["sql"] for query in captured.captured_queries)
