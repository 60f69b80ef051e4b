"""The session remembers that a person needs no second factor only until their rights change
(trust.middleware._known_not_to_need_mfa): a new role, group or permission asks again at once."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trust.enums import Role
from trust.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ENROL = "/accounts/2fa/totp/activate"


def signed_in_with_password_only(client, user):
    client.force_login(user, backend="trust.auth_backends.ModelBackend")
    return client


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured]


def test_a_staff_member_is_asked_about_mfa_once_not_on_every_page(client, personas):
    signed_in_with_password_only(client, personas.staff)
    first = queries_of(client, "/")
    again = queries_of(client, "/")
    assert any("auth_permission" in sql for sql in first)  # the admin-access check, asked once
    assert not any("auth_permission" in sql for sql in again)
    assert len(again) < len(first)


def test_the_answer_is_asked_every_time_without_a_shared_cache(client, personas, settings):
    settings.PERSONAL_PAGE_CACHE = False
    signed_in_with_password_only(client, personas.staff)
    queries_of(client, "/")
    assert any("auth_permission" in sql for sql in queries_of(client, "/"))


def test_becoming_a_designated_teacher_mid_session_needs_mfa_at_the_next_page(client, personas):
    signed_in_with_password_only(client, personas.staff)
    queries_of(client, "/")
    MembershipFactory(user=personas.staff, role=Role.DESIGNATED_TEACHER, school=personas.brook)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(ENROL)


def test_joining_a_group_with_admin_access_needs_mfa_at_the_next_page(client, personas):
    signed_in_with_password_only(client, personas.staff)
    queries_of(client, "/")
    editors = Group.objects.create(name="Policy editors")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    personas.staff.groups.add(editors)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(ENROL)


def test_being_added_to_a_group_from_the_group_side_needs_mfa_at_the_next_page(client, personas):
    editors = Group.objects.create(name="Policy editors")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    signed_in_with_password_only(client, personas.staff)
    queries_of(client, "/")
    editors.user_set.add(personas.staff)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(ENROL)


def test_a_group_given_admin_access_needs_mfa_of_its_members_at_the_next_page(client, personas):
    editors = Group.objects.create(name="Policy editors")
    personas.staff.groups.add(editors)
    signed_in_with_password_only(client, personas.staff)
    queries_of(client, "/")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(ENROL)
