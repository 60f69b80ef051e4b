"""The acknowledgement form posts to /policies/acknowledge/<page id>/, outside Wagtail's routing: it refuses
exactly whom the page refuses, checks CSRF, and writes every piece of evidence the page's own route wrote."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from wagtail.models import PageLogEntry, PageViewRestriction

from conftest import sign_in
from policy import page_views
from policy.acknowledgements import (
    create_receipt,
    keep_version_to_acknowledge,
    version_to_acknowledge,
    with_version_to_acknowledge,
)
from policy.enums import AttemptOutcome
from policy.models import AcknowledgementAttempt, PolicyIndexPage, PolicyPage, ReadReceipt
from policy.tests.conftest import acknowledge_url, page_acknowledge_url
from policy.tests.factories import RIGHT_ANSWERS, make_guidance, make_policy, publish_change
from policy.versions import current_version
from trust.enums import Role
from trust.models import Membership
from trust.personal_pages import BRIEFING_KEY, _generation

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True, params=[True, False], ids=["pages kept", "nothing kept"])
def keeping(request, settings):
    """Every rule holds with the pages kept for everyone (a shared cache) and with each page read alone."""
    settings.PERSONAL_PAGE_CACHE = request.param


def post(client, page, **data):
    return client.post(acknowledge_url(page), {"revision": page.live_revision_id, "statement": "on", **data})


def refused_like_the_page(client, person, page, revision=None):
    """The page's GET and the acknowledgement's POST both answer 404, and nothing is written for them."""
    url = page.url or f"/policies/{page.slug}/"
    assert client.get(url).status_code == 404
    assert post(client, page, revision=revision or page.live_revision_id).status_code == 404
    assert not ReadReceipt.objects.filter(user=person).exists()
    assert not AcknowledgementAttempt.objects.filter(user=person).exists()


def accepted_for(person, page):
    """Someone the page is for acknowledges at the same address."""
    client = Client()
    sign_in(client, person)
    response = post(client, page)
    assert (response.status_code, response.url) == (302, page.url)
    assert ReadReceipt.objects.filter(user=person, page_id=page.pk).count() == 1


def test_the_form_on_the_page_posts_to_the_address_naming_the_page(client, policy, personas):
    sign_in(client, personas.staff)
    html = client.get(policy.url).content.decode()
    assert f'<form method="post" action="/policies/acknowledge/{policy.pk}/" novalidate>' in html


def test_someone_outside_the_audience_is_refused_as_the_page_refuses_them(client, personas):
    page = make_policy("Governors only", slug="governors-only", audience_roles=[Role.GOVERNOR])
    sign_in(client, personas.staff)
    refused_like_the_page(client, personas.staff, page)
    accepted_for(personas.governor, page)


def test_a_policy_for_another_school_is_refused(client, personas):
    page = make_policy("Brook only", slug="brook-only", applies_to_all_schools=False)
    page.schools.set([personas.brook])
    page.save()
    sign_in(client, personas.dt_castle)
    refused_like_the_page(client, personas.dt_castle, page)
    accepted_for(personas.staff, page)


def test_a_leaver_is_refused(client, policy, personas):
    sign_in(client, personas.staff)
    client.get(policy.url)
    membership = Membership.objects.get(user=personas.staff)
    membership.ended_on = timezone.localdate() - timedelta(days=1)
    membership.save()
    refused_like_the_page(client, personas.staff, policy)
    accepted_for(personas.governor, policy)


def test_a_deactivated_account_is_sent_to_sign_in(client, policy, personas):
    sign_in(client, personas.staff)
    personas.staff.is_active = False
    personas.staff.save()
    response = post(client, policy)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not ReadReceipt.objects.filter(user=personas.staff).exists()
    accepted_for(personas.governor, policy)


def test_someone_signed_out_is_sent_to_sign_in(client, policy, personas):
    response = post(client, policy)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next=/policies/acknowledge/{policy.pk}/"
    assert not ReadReceipt.objects.exists()
    accepted_for(personas.staff, policy)


def test_the_executive_head_who_edits_but_is_not_in_the_audience_cannot_acknowledge(client, personas):
    page = make_policy("Staff only", slug="staff-only", audience_roles=[Role.STAFF])
    sign_in(client, personas.head)
    assert client.get(page.url).status_code == 200  # he may read what he edits
    assert post(client, page).status_code == 404
    assert not ReadReceipt.objects.filter(user=personas.head).exists()
    accepted_for(personas.staff, page)


def test_an_unpublished_page_is_refused(client, policy, personas):
    accepted_for(personas.governor, policy)
    sign_in(client, personas.staff)
    revision = policy.live_revision_id
    policy.unpublish()
    refused_like_the_page(client, personas.staff, policy, revision)


def test_a_page_behind_a_view_restriction_the_person_does_not_pass_is_refused(client, policy, personas):
    leads = Group.objects.create(name="Safeguarding leads")
    restriction = PageViewRestriction.objects.create(page=policy, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(leads)
    sign_in(client, personas.staff)
    refused_like_the_page(client, personas.staff, policy)
    personas.governor.groups.add(leads)
    accepted_for(personas.governor, policy)


def test_a_view_restriction_added_above_the_page_after_it_was_opened_refuses_at_once(client, policy, personas):
    """The form is checked against the site's restrictions kept for the content generation (`may_open`):
    a restriction made after the person opened the page, on the policies' index, renews them."""
    sign_in(client, personas.staff)
    assert client.get(policy.url).status_code == 200  # the restrictions as they were (none) are kept
    restriction = PageViewRestriction.objects.create(
        page=policy.get_parent(), restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Safeguarding leads"))
    assert post(client, policy).status_code == 404
    assert not ReadReceipt.objects.exists() and not AcknowledgementAttempt.objects.exists()
    assert client.get(policy.url).status_code == 404


def test_the_version_read_with_the_page_answers_for_that_person_only(policy, personas, django_assert_num_queries):
    """`_acknowledgeable_page` reads the version to acknowledge in the page's query and keeps it on the page
    for the person it was read for: anyone else's answer is read afresh, never theirs."""
    published = current_version(policy)
    create_receipt(personas.staff, policy, published, policy.live_revision_id)
    page = with_version_to_acknowledge(PolicyPage.objects.filter(pk=policy.pk), personas.staff).get()
    keep_version_to_acknowledge(page, personas.staff)
    with django_assert_num_queries(0):
        mine = version_to_acknowledge(personas.staff, page)
    assert (mine.pk, mine.number, mine.revision_id, mine.acknowledged) == (
        published.pk, published.number, policy.live_revision_id, True
    )
    theirs = version_to_acknowledge(personas.governor, page)
    assert (theirs.pk, theirs.acknowledged) == (published.pk, False)
    assert mine.published_at == published.published_at  # what was not read with the page is read when asked


@pytest.mark.parametrize("which", ["unknown", "index"])
def test_an_id_that_is_not_a_policy_or_guidance_page_is_not_found(client, policy, personas, which):
    page_id = policy.pk + 1000 if which == "unknown" else PolicyIndexPage.objects.get().pk
    sign_in(client, personas.staff)
    assert client.post(f"/policies/acknowledge/{page_id}/", {"statement": "on"}).status_code == 404
    accepted_for(personas.staff, policy)


@pytest.mark.parametrize("page_id", ["0", "9223372036854775808", "1" * 40])
def test_an_id_no_page_can_have_is_not_found(client, policy, personas, page_id):
    sign_in(client, personas.staff)
    assert client.post(f"/policies/acknowledge/{page_id}/", {"statement": "on"}).status_code == 404
    assert not AcknowledgementAttempt.objects.exists()


def test_a_get_is_not_allowed_for_anyone(client, policy, personas):
    sign_in(client, personas.staff)
    assert client.get(acknowledge_url(policy)).status_code == 405


def test_a_version_published_while_reading_records_the_attempt_and_asks_again(client, policy, personas):
    sign_in(client, personas.staff)
    stale = policy.live_revision_id
    page, _ = publish_change(policy, material=True, summary="New duty.", user=personas.head)
    response = client.post(acknowledge_url(page), {"revision": stale, "statement": "on"})
    assert (response.status_code, response.url) == (302, page.url)
    assert not ReadReceipt.objects.exists()
    assert AcknowledgementAttempt.objects.get().outcome == AttemptOutcome.STALE
    assert "Read version 2 below, then acknowledge it." in client.get(page.url).content.decode()


def test_csrf_is_checked(policy, personas):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, personas.staff)
    html = client.get(policy.url).content.decode()
    assert post(client, policy).status_code == 403
    assert not ReadReceipt.objects.exists() and not AcknowledgementAttempt.objects.exists()
    response = post(client, policy, csrfmiddlewaretoken=TOKEN.search(html).group(1))
    assert response.status_code == 302
    assert ReadReceipt.objects.filter(user=personas.staff).count() == 1


def briefing_generations():
    """The briefing report's generation (training) and the dashboards' copy of it (trust/personal_pages.py)."""
    number = apps.get_model("training", "BriefingGeneration").objects.values_list("number", flat=True).first()
    return number, _generation(BRIEFING_KEY)  # as the portal reads it: a change after this renews it at once


def test_the_receipt_its_history_entry_the_attempt_and_the_briefing_are_all_written(client, checked_policy, personas):
    before = briefing_generations()
    sign_in(client, personas.staff)
    response = post(client, checked_policy, **RIGHT_ANSWERS)
    assert (response.status_code, response.url) == (302, checked_policy.url)
    receipt = ReadReceipt.objects.get()
    assert (receipt.user, receipt.page_id, receipt.version_number) == (personas.staff, checked_policy.pk, 2)
    assert receipt.revision_id == checked_policy.live_revision_id
    assert receipt.has_valid_seal()
    entry = PageLogEntry.objects.get(action="policy.acknowledged")
    assert (entry.page_id, entry.user, entry.label) == (checked_policy.pk, personas.staff, "Children in Care policy")
    assert entry.data == {"version": 2, "person": personas.staff.get_full_name(), "receipt": receipt.pk}
    attempt = AcknowledgementAttempt.objects.get()
    assert (attempt.outcome, attempt.version_number) == (AttemptOutcome.ACCEPTED, 2)
    assert [a["answer"] for a in attempt.answers] == ["20 school days", "The head teacher"]
    after = briefing_generations()
    assert after[0] != before[0] and after[1] != before[1]  # the briefing report and dashboards count it at once
    html = client.get(checked_policy.url).content.decode()
    assert "Thank you. You acknowledged version 2 of “Children in Care policy”." in html


def test_a_guidance_page_the_audience_must_acknowledge_is_acknowledged_here_too(client, personas):
    guidance = make_guidance(acknowledgement_required=True)
    sign_in(client, personas.governor)
    html = client.get(guidance.url).content.decode()
    assert f'action="/policies/acknowledge/{guidance.pk}/"' in html
    assert post(client, guidance).status_code == 302
    assert ReadReceipt.objects.get().page_id == guidance.pk


def test_a_wrong_answer_is_recorded_and_shown_with_the_answers_kept(client, checked_policy, personas):
    sign_in(client, personas.staff)
    response = post(client, checked_policy, question_1="5 school days", question_2="The head teacher")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some answers were not right" in html
    assert re.search(r'value="5 school days"[^>]*checked', html)
    assert re.search(r'value="The head teacher"[^>]*checked', html)
    assert 'id="id_statement" checked' in html or re.search(r'name="statement"[^>]*checked', html)
    assert not ReadReceipt.objects.exists()
    assert AcknowledgementAttempt.objects.get().outcome == AttemptOutcome.WRONG_ANSWERS


def test_a_simultaneous_submission_leaves_one_receipt_and_records_the_attempt(client, policy, personas):
    """The other submission wrote its receipt after this one looked: the unique constraint undoes this
    one's receipt, history entry and accepted attempt, and the try is recorded as already acknowledged."""
    version = current_version(policy)
    looked = page_views.version_to_acknowledge(personas.staff, policy)  # before the other one's receipt
    create_receipt(personas.staff, policy, version, version.revision_id)
    sign_in(client, personas.staff)
    with mock.patch.object(page_views, "version_to_acknowledge", return_value=looked):
        response = post(client, policy)
    assert response.status_code == 302
    assert ReadReceipt.objects.count() == 1
    assert PageLogEntry.objects.filter(action="policy.acknowledged").count() == 1
    assert list(AcknowledgementAttempt.objects.values_list("outcome", flat=True)) == [AttemptOutcome.ALREADY]
    assert "You have already acknowledged version 1." in client.get(policy.url).content.decode()


def test_the_dashboard_shows_the_acknowledgement_at_once(client, policy, personas):
    sign_in(client, personas.staff)
    for _ in range(3):  # the last one served from the person's kept copy
        assert "To read and acknowledge" in client.get("/").content.decode()
    assert post(client, policy).status_code == 302
    client.get(policy.url)  # shows the "thank you" message
    html = client.get("/").content.decode()
    assert "To read and acknowledge" not in html
    assert "Children in Care policy</a>, version 1 on" in html


def test_the_pages_own_acknowledge_route_still_works(client, policy, personas):
    sign_in(client, personas.staff)
    response = client.post(page_acknowledge_url(policy), {"revision": policy.live_revision_id, "statement": "on"})
    assert (response.status_code, response.url) == (302, policy.url)
    assert ReadReceipt.objects.filter(user=personas.staff).count() == 1
    assert AcknowledgementAttempt.objects.get().outcome == AttemptOutcome.ACCEPTED


def test_one_persons_acknowledgement_never_answers_for_another(client, policy, personas):
    accepted_for(personas.governor, policy)  # the pages are now kept for everyone (with a shared cache)
    accepted_for(personas.staff, policy)
    sign_in(client, personas.governor)

    response = post(client, policy)

    assert (response.status_code, response.url) == (302, policy.url)
    assert ReadReceipt.objects.filter(user=personas.governor, page_id=policy.pk).count() == 1
    assert AcknowledgementAttempt.objects.filter(user=personas.governor).count() == 1  # nothing written again


def test_a_new_version_published_after_an_acknowledgement_is_the_one_acknowledged_next(client, policy, personas):
    accepted_for(personas.governor, policy)
    page, _ = publish_change(policy, material=True, summary="New duties.", user=personas.head)
    sign_in(client, personas.governor)

    response = post(client, page)

    assert response.status_code == 302
    assert sorted(ReadReceipt.objects.filter(user=personas.governor).values_list("version_number", flat=True)) == [1, 2]


def test_a_change_of_audience_after_an_acknowledgement_refuses_at_once(client, policy, personas):
    accepted_for(personas.governor, policy)
    page, _ = publish_change(policy, material=False, audience_roles=[Role.GOVERNOR], user=personas.head)
    sign_in(client, personas.staff)

    refused_like_the_page(client, personas.staff, page)
