"""Wagtail's people screens (/admin/users/) as the trust administrator, who may change people but not make them superusers.

Roles come from memberships, which are audited (and a casework role reported to the executive head); the
groups those memberships keep in step, the "Administrator" box, and a person's password are not the trust
administrator's to set. Each test here posts what the screen no longer offers, as an attacker would.
"""

import socket

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from casework.models import SharedRecommendation
from casework.tests.factories import ChildFactory, PEPFactory, add_terms
from conftest import sign_in
from trust.enums import GROUP_NAMES, Role

pytestmark = pytest.mark.django_db


def _person_form(user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
    }
    data.update(changes)
    return data


def _refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied by sending the person to the dashboard with an error message."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def _role_group(role):
    return Group.objects.get(name=GROUP_NAMES[role])


def test_the_trust_administrator_renames_someone_but_cannot_make_them_a_superuser_give_a_group_or_set_their_password(
    client, personas
):
    staff = personas.staff
    staff_groups = set(staff.groups.all())
    password_before = staff.password
    sign_in(client, personas.admin)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[staff.pk]),
        _person_form(
            staff,
            first_name="Renamed",
            is_superuser="on",
            groups=[str(_role_group(Role.DESIGNATED_TEACHER).pk)],
            password1="Another-pass-phrase-9",
            password2="Another-pass-phrase-9",
        ),
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.first_name == "Renamed"
    assert not staff.is_superuser
    assert set(staff.groups.all()) == staff_groups
    assert staff.password == password_before


def test_the_trust_administrators_form_shows_no_password_and_says_who_gives_roles(client, personas):
    sign_in(client, personas.admin)
    page = client.get(reverse("wagtailusers_users:edit", args=[personas.staff.pk])).content.decode()
    assert 'name="password1"' not in page
    assert "Roles are given by a membership, under Trust, People&#x27;s roles." in page
    assert 'name="groups"' in page and "disabled" in page.split('name="groups"', 1)[1].split(">", 1)[0]


def test_a_person_the_trust_administrator_adds_is_no_superuser_has_no_group_and_no_password(client, personas):
    sign_in(client, personas.admin)
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "new.starter@symphony.example",
            "email": "new.starter@symphony.example",
            "first_name": "Newton",
            "last_name": "Starter",
            "is_superuser": "on",
            "groups": [str(_role_group(Role.EXECUTIVE_HEAD).pk)],
            "password1": "Chosen-by-the-admin-7",
            "password2": "Chosen-by-the-admin-7",
        },
    )
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    added = get_user_model().objects.get(email="new.starter@symphony.example")
    assert not added.is_superuser
    assert not added.groups.exists()
    assert not added.has_usable_password()


def test_the_trust_administrator_cannot_put_themselves_in_another_group(client, personas):
    admin = personas.admin
    groups_before = set(admin.groups.all())
    sign_in(client, admin)
    client.post(
        reverse("wagtailusers_users:edit", args=[admin.pk]),
        _person_form(admin, groups=[str(g.pk) for g in Group.objects.all()]),
    )
    admin.refresh_from_db()
    assert set(admin.groups.all()) == groups_before


def test_a_superusers_account_is_not_the_trust_administrators_to_open_or_change(client, personas):
    personas.head.is_superuser = True
    personas.head.save(update_fields=["is_superuser"])
    sign_in(client, personas.admin)
    url = reverse("wagtailusers_users:edit", args=[personas.head.pk])
    assert _refused(client.get(url))
    assert _refused(client.post(url, _person_form(personas.head, email="admin@symphony.example")))
    personas.head.refresh_from_db()
    assert personas.head.email == "head@symphony.example"


def test_the_trust_administrator_cannot_assign_a_role_in_bulk_or_deactivate_a_superuser(client, personas):
    sign_in(client, personas.admin)
    casework = _role_group(Role.DESIGNATED_TEACHER)
    assign = reverse("wagtail_bulk_action", args=("auth", "user", "assign_role"))
    response = client.post(f"{assign}?id={personas.admin.pk}&id={personas.staff.pk}", {"role": str(casework.pk)})
    assert _refused(response)
    assert not casework.user_set.filter(pk__in=[personas.admin.pk, personas.staff.pk]).exists()

    personas.head.is_superuser = True
    personas.head.save(update_fields=["is_superuser"])
    deactivate = reverse("wagtail_bulk_action", args=("auth", "user", "set_active_state"))
    response = client.post(f"{deactivate}?id={personas.head.pk}", {"mark_as_active": "False"})
    assert _refused(response)
    personas.head.refresh_from_db()
    assert personas.head.is_active


def test_a_superuser_still_makes_someone_a_superuser_and_gives_groups(client, personas):
    personas.head.is_superuser = True
    personas.head.save(update_fields=["is_superuser"])
    sign_in(client, personas.head)
    group = _role_group(Role.GOVERNOR)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[personas.staff.pk]),
        _person_form(personas.staff, is_superuser="on", groups=[str(group.pk)]),
    )
    assert response.status_code == 302
    personas.staff.refresh_from_db()
    assert personas.staff.is_superuser
    assert list(personas.staff.groups.all()) == [group]


def test_deleting_someone_the_trust_keeps_records_of_is_refused_in_words_and_loses_nothing(client, personas):
    add_terms(personas.brook, 2026)
    pep = PEPFactory(child=ChildFactory(school=personas.brook, legal_first_name="Brooklyn"))
    SharedRecommendation.objects.create(pep=pep, recommendation="Seat near the door", shared_with=personas.staff)
    personas.head.is_superuser = True
    personas.head.save(update_fields=["is_superuser"])
    sign_in(client, personas.head)
    response = client.post(reverse("wagtailusers_users:delete", args=[personas.staff.pk]), follow=True)
    assert response.status_code == 200
    assert "cannot be deleted: the trust keeps their shared recommendations" in response.content.decode()
    assert "Mark them inactive instead" in response.content.decode()
    personas.staff.refresh_from_db()
    assert SharedRecommendation.objects.filter(shared_with=personas.staff).count() == 1


def test_changing_someones_email_tells_their_old_address_who_changed_it(client, personas):
    staff = personas.staff
    sign_in(client, personas.admin)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[staff.pk]), _person_form(staff, email="elsewhere@example.org")
    )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["staff@symphony.example"]]
    body = mail.outbox[0].body
    assert "from staff@symphony.example to elsewhere@example.org" in body
    assert (personas.admin.get_full_name() or personas.admin.email) in body

    mail.outbox.clear()
    staff.refresh_from_db()
    client.post(reverse("wagtailusers_users:edit", args=[staff.pk]), _person_form(staff, first_name="Renamed"))
    assert mail.outbox == []


def test_with_the_mail_server_down_the_new_email_is_kept_and_the_administrator_told_to_tell_them(
    client, personas, settings
):
    with socket.socket() as probe:  # a port with nothing listening on it: the connection is refused
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 5
    staff = personas.staff
    sign_in(client, personas.admin)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[staff.pk]),
        _person_form(staff, email="elsewhere@example.org"),
        follow=True,
    )
    assert response.status_code == 200
    staff.refresh_from_db()
    assert staff.email == "elsewhere@example.org"
    assert "The email telling staff@symphony.example of the change could not be sent" in response.content.decode()


@pytest.mark.parametrize("group", ["abc", "\x00", "-1"])
def test_the_people_list_filtered_by_a_group_no_record_can_have_is_shown_not_a_server_error(client, personas, group):
    client.raise_request_exception = False
    sign_in(client, personas.admin)
    response = client.get(reverse("wagtailusers_users:index"), {"group": group})
    assert response.status_code == 200
    assert "staff@symphony.example" in response.content.decode()  # the filter is set aside, with its error


def test_the_people_list_filtered_by_a_group_past_every_id_is_not_found(client, personas):
    client.raise_request_exception = False
    sign_in(client, personas.admin)
    assert client.get(reverse("wagtailusers_users:index"), {"group": "9" * 20}).status_code == 404


def test_the_people_list_filtered_by_a_group_still_filters(client, personas):
    sign_in(client, personas.admin)
    governors = _role_group(Role.GOVERNOR)
    page = client.get(reverse("wagtailusers_users:index"), {"group": str(governors.pk)}).content.decode()
    assert "governor@symphony.example" in page
    assert "staff@symphony.example" not in page


@pytest.mark.parametrize("who", ["staff", "governor", "dt", "head", "dpo", "nobody"])
def test_only_the_trust_administrator_and_superusers_open_or_change_the_people_screens(client, personas, who):
    client.raise_request_exception = False
    sign_in(client, getattr(personas, who))
    edit = reverse("wagtailusers_users:edit", args=[personas.staff.pk])
    for response in (
        client.get(reverse("wagtailusers_users:index")),
        client.get(edit),
        client.post(edit, _person_form(personas.staff, first_name="Renamed")),
        client.get(reverse("wagtailusers_users:add")),
    ):
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response.url in (reverse("wagtailadmin_home"), "/accounts/login/")
    personas.staff.refresh_from_db()
    assert personas.staff.first_name != "Renamed"
