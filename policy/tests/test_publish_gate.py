"""Publishing the head can trust (issue 17): people who may publish policies cannot press "Publish" round the
second approver; the workflow's approval still publishes, and an only approver the trust allowed still can."""

import pytest
from wagtail.models import PageLogEntry

from conftest import sign_in
from policy.models import PolicyApprovalSettings, PolicyIndexPage, PolicyPage
from policy.tests.test_publishing_in_the_admin import edit_form
from policy.versions import current_version

pytestmark = pytest.mark.django_db

REFUSAL = "Children in Care policy changes are approved by a second person: submit it for approval."


def _publish_in_the_editor(client, user, policy):
    sign_in(client, user)
    data = edit_form(client, policy)
    data["title"] = "Children in Care policy (published directly)"
    data["change_is_material"] = "True"
    data["change_summary"] = "Published without a second person."
    data["action-publish"] = "action-publish"
    return client.post(f"/admin/pages/{policy.pk}/edit/", data)


def _allow_self_approval():
    settings = PolicyApprovalSettings.load()
    settings.allow_self_approval_when_only_approver = True
    settings.save()


def _assert_nothing_published(policy):
    page = PolicyPage.objects.get(pk=policy.pk)
    assert page.live_revision_id == policy.live_revision_id
    assert page.title == policy.title
    assert current_version(page).number == 1


def test_the_heads_direct_publish_is_refused_with_a_plain_message(client, policy, personas, approver):
    response = _publish_in_the_editor(client, personas.head, policy)
    assert (response.status_code, response.url) == (302, f"/admin/pages/{policy.pk}/edit/")
    assert REFUSAL in client.get(response.url).content.decode()
    _assert_nothing_published(policy)


def test_the_only_approver_cannot_publish_directly_unless_the_trust_allowed_it(client, policy, personas):
    response = _publish_in_the_editor(client, personas.head, policy)
    assert response.status_code == 302
    assert REFUSAL in client.get(response.url).content.decode()
    _assert_nothing_published(policy)


def test_the_approvers_direct_publish_is_refused_too(client, policy, personas, approver):
    response = _publish_in_the_editor(client, approver, policy)
    assert REFUSAL in client.get(response.url).content.decode()
    _assert_nothing_published(policy)


def test_the_editor_offers_submit_and_not_publish(client, policy, personas, approver):
    sign_in(client, personas.head)
    html = client.get(f"/admin/pages/{policy.pk}/edit/").content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


def test_creating_a_policy_published_is_refused(client, policy, personas, approver):
    sign_in(client, personas.head)
    index = PolicyIndexPage.objects.get()
    url = f"/admin/pages/add/policy/policypage/{index.pk}/"
    assert 'name="action-publish"' not in client.get(url).content.decode()
    response = client.post(url, {"title": "A new policy", "slug": "a-new-policy", "action-publish": "action-publish"})
    assert (response.status_code, response.url) == (302, url)
    assert REFUSAL in client.get(url).content.decode()
    assert not PolicyPage.objects.filter(title="A new policy").exists()


def test_bulk_publishing_a_policy_is_refused(client, policy, personas, approver):
    page = PolicyPage.objects.get(pk=policy.pk)
    page.title = "Children in Care policy (bulk)"
    page.save_revision(user=personas.head)
    sign_in(client, personas.head)
    response = client.post(f"/admin/bulk/wagtailcore/page/publish/?id={policy.pk}", {"include_descendants": ""})
    assert response.status_code == 302
    assert REFUSAL in client.get(response.url).content.decode()
    _assert_nothing_published(policy)


def test_with_the_setting_on_the_only_approver_publishes_directly_and_history_says_so(client, policy, personas):
    _allow_self_approval()
    sign_in(client, personas.head)
    assert 'name="action-publish"' in client.get(f"/admin/pages/{policy.pk}/edit/").content.decode()
    response = _publish_in_the_editor(client, personas.head, policy)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = PolicyPage.objects.get(pk=policy.pk)
    assert page.title == "Children in Care policy (published directly)"
    assert (current_version(page).number, current_version(page).published_by) == (2, personas.head)
    assert PageLogEntry.objects.filter(page=page, action="policy.published_as_only_approver").count() == 1
    history = client.get(f"/admin/pages/{policy.pk}/history/").content.decode()
    assert "Approved by the submitter: only approver." in history


def test_the_setting_does_not_help_while_another_approver_is_active(client, policy, personas, approver):
    _allow_self_approval()
    response = _publish_in_the_editor(client, personas.head, policy)
    assert REFUSAL in client.get(response.url).content.decode()
    _assert_nothing_published(policy)


def test_copying_a_policy_and_publishing_the_copy_is_refused(client, policy, personas, approver):
    sign_in(client, personas.head)
    index = PolicyIndexPage.objects.get()
    url = f"/admin/pages/{policy.pk}/copy/"
    response = client.post(
        url,
        {"new_title": "Copied policy", "new_slug": "copied-policy", "new_parent_page": index.pk, "publish_copies": "on"},
    )
    assert (response.status_code, response.url) == (302, url)
    assert REFUSAL in client.get(url).content.decode()
    assert not PolicyPage.objects.filter(slug="copied-policy").exists()


@pytest.mark.parametrize("parent", ["²", "9" * 5000, "1\x00", "-1"])
def test_publishing_copies_with_an_odd_parent_is_refused_never_a_500(client, policy, personas, approver, parent):
    sign_in(client, personas.head)
    url = f"/admin/pages/{policy.pk}/copy/"
    response = client.post(
        url,
        {"new_title": "Copied policy", "new_slug": "copied-policy", "new_parent_page": parent, "publish_copies": "on"},
    )
    assert (response.status_code, response.url) == (302, url)
    assert not PolicyPage.objects.filter(slug="copied-policy").exists()


def test_copying_a_policy_as_a_draft_still_works(client, policy, personas, approver):
    sign_in(client, personas.head)
    index = PolicyIndexPage.objects.get()
    response = client.post(
        f"/admin/pages/{policy.pk}/copy/",
        {"new_title": "Copied policy", "new_slug": "copied-policy", "new_parent_page": index.pk},
    )
    assert response.status_code == 302
    assert not PolicyPage.objects.get(slug="copied-policy").live
