"""Editors submit policy changes; the executive head approves, which publishes them."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from conftest import sign_in
from policy.models import PolicyIndexPage, PolicyPage
from policy.versions import current_version
from trust.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    """Someone who may edit policies but not publish them (as a trust might set up a policy writer)."""
    group = Group.objects.create(name="Policy writers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    index = PolicyIndexPage.objects.get()
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=index, permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        )
    user = UserFactory(email="writer@symphony.example", is_superuser=False)
    user.groups.add(group)
    return user


def test_an_approved_submission_is_published_as_the_version_the_editor_described(policy, editor, personas):
    page = PolicyPage.objects.get(pk=policy.pk)
    page.change_is_material = True
    page.change_summary = "New PEP deadline."
    revision = page.save_revision(user=editor)
    workflow = page.get_workflow()
    assert workflow.name == "Policy approval"
    workflow_state = workflow.start(page, editor)
    assert not page.permissions_for_user(editor).can_publish()
    task_state = workflow_state.current_task_state
    assert task_state.task.specific.user_can_access_editor(page, personas.head)
    task_state.task.specific.on_action(task_state, personas.head, "approve")
    page.refresh_from_db()
    version = current_version(page)
    assert version.revision_id == revision.pk
    assert (version.number, version.change_summary, version.published_by) == (2, "New PEP deadline.", personas.head)


def test_a_policy_with_versions_cannot_be_deleted_in_the_admin(client, policy):
    superuser = UserFactory(email="root@symphony.example", is_superuser=True)
    sign_in(client, superuser)
    response = client.post(f"/admin/pages/{policy.pk}/delete/")
    assert response.status_code == 302
    assert PolicyPage.objects.filter(pk=policy.pk).exists()
    follow = client.get(response.url).content.decode()
    assert "Unpublish it instead of deleting it." in follow


def test_a_policy_with_versions_cannot_be_bulk_deleted_in_the_admin(client, policy):
    superuser = UserFactory(email="root@symphony.example", is_superuser=True)
    sign_in(client, superuser)
    response = client.post(
        f"/admin/bulk/wagtailcore/page/delete/?next=/admin/pages/&id={policy.pk}", {"id": [policy.pk]}
    )
    assert response.status_code == 302
    assert PolicyPage.objects.filter(pk=policy.pk).exists()
    assert "Unpublish it instead of deleting it." in client.get(response.url).content.decode()
