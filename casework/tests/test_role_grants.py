"""Granting or revoking a casework role, by any path, leaves a case audit event and tells the executive head."""

import datetime

import pytest
from django.core import mail

from casework.audit import verify_chain
from casework.models import CaseAuditEvent
from conftest import sign_in
from trust.enums import Role
from trust.models import Membership
from trust.staff_import import import_staff
from trust.tests.factories import UserFactory


@pytest.fixture
def heads_mail(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the emails), as a real request's commit would."""

    def capture():
        return django_capture_on_commit_callbacks(execute=True)

    return capture


def _grants():
    return CaseAuditEvent.objects.filter(action__in=["grant", "revoke"]).order_by("id")


def _new_role(client, user, role, school):
    data = {"user": user.pk, "role": role, "school": school.pk if school else "", "job_title": "", "started_on": ""}
    data["ended_on"] = ""
    return client.post("/admin/memberships/new/", data)


def test_the_admin_granting_themselves_dt_at_castle_is_audited_and_the_head_is_told(client, personas, heads_mail):
    before = _grants().count()
    sign_in(client, personas.admin)
    with heads_mail():
        response = _new_role(client, personas.admin, Role.DESIGNATED_TEACHER, personas.castle)
    assert response.status_code == 302, response.content.decode()[:800]
    membership = Membership.objects.get(user=personas.admin, role=Role.DESIGNATED_TEACHER)

    (event,) = _grants()[before:]
    assert event.action == "grant" and event.user_id == personas.admin.pk
    assert event.user_label == "admin@symphony.example"
    assert event.school_id == personas.castle.pk and event.child_id is None
    assert event.object_type == "membership" and event.object_id == str(membership.pk)
    assert event.detail == (
        f"Designated teacher at school {personas.castle.pk} granted to user {personas.admin.pk} (admin@symphony.example)"
    )
    assert verify_chain() is None

    (email,) = mail.outbox
    assert email.to == [personas.head.email]
    assert email.subject == "Casework role granted: Designated teacher at Castle Academy"
    assert "admin@symphony.example" in email.body and "designated teacher role at Castle Academy" in email.body
    assert f"/admin/memberships/edit/{membership.pk}/" in email.body


def test_once_granted_the_admin_reaches_the_casework_home(client, personas):
    sign_in(client, personas.admin)
    assert client.get("/casework/").status_code == 404
    _new_role(client, personas.admin, Role.DESIGNATED_TEACHER, personas.castle)
    assert client.get("/casework/").status_code in (200, 403)  # in, behind the policy gate if it is closed


def test_ending_the_role_in_the_admin_is_audited_as_a_revocation(client, personas, heads_mail):
    membership = Membership.objects.get(user=personas.dt_castle, role=Role.DESIGNATED_TEACHER)
    sign_in(client, personas.admin)
    before = _grants().count()
    data = {
        "user": personas.dt_castle.pk,
        "role": Role.DESIGNATED_TEACHER,
        "school": personas.castle.pk,
        "job_title": "Head of year",
        "started_on": "",
        "ended_on": datetime.date.today().isoformat(),
    }
    with heads_mail():
        response = client.post(f"/admin/memberships/edit/{membership.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:800]
    (event,) = _grants()[before:]
    assert event.action == "revoke" and event.user_id == personas.admin.pk and event.school_id == personas.castle.pk
    assert event.detail.startswith(
        f"Designated teacher at school {personas.castle.pk} revoked from user {personas.dt_castle.pk}"
    )
    (email,) = mail.outbox
    assert email.subject == "Casework role revoked: Designated teacher at Castle Academy"
    assert personas.dt_castle.email in email.body


def test_deleting_a_casework_role_is_audited_as_a_revocation(client, personas):
    membership = Membership.objects.get(user=personas.dt_castle, role=Role.DESIGNATED_TEACHER)
    sign_in(client, personas.admin)
    before = _grants().count()
    response = client.post(f"/admin/memberships/delete/{membership.pk}/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    (event,) = _grants()[before:]
    assert event.action == "revoke" and event.object_id == str(membership.pk)


def test_an_edit_that_changes_no_grant_writes_nothing(client, personas, heads_mail):
    membership = Membership.objects.get(user=personas.dt_castle, role=Role.DESIGNATED_TEACHER)
    before = _grants().count()
    with heads_mail():
        membership.job_title = "Deputy head"
        membership.save()
        Membership.objects.get(pk=membership.pk).save()
    assert _grants().count() == before and not mail.outbox


def test_moving_a_dt_to_another_school_revokes_one_grant_and_makes_another(personas, heads_mail):
    membership = Membership.objects.get(user=personas.dt_castle, role=Role.DESIGNATED_TEACHER)
    before = _grants().count()
    with heads_mail():
        membership.school = personas.meadow
        membership.save()
    revoke, grant = _grants()[before:]
    assert (revoke.action, revoke.school_id) == ("revoke", personas.castle.pk)
    assert (grant.action, grant.school_id) == ("grant", personas.meadow.pk)
    assert len(mail.outbox) == 2


def test_a_grant_outside_any_request_is_audited_too(personas, heads_mail):
    newcomer = UserFactory(email="newcomer@symphony.example")
    before = _grants().count()
    with heads_mail():
        Membership.objects.create(user=newcomer, role=Role.DATA_PROTECTION_OFFICER)
    (event,) = _grants()[before:]
    assert event.user_id is None and event.user_label.startswith("no one signed in")
    assert event.school_id is None and "Data protection officer at the trust granted" in event.detail
    (email,) = mail.outbox
    assert email.subject == "Casework role granted: Data protection officer at the trust"
    assert "newcomer@symphony.example" in email.body and "export any child's whole record" in email.body


def test_the_staff_import_is_audited_both_ways(personas, heads_mail):
    """castle's file names a new DT and leaves out the old one: one grant, one revocation."""
    before = _grants().count()
    rows = "email,first_name,last_name,roles\nnew.dt@symphony.example,New,Dt,designated teacher\n"
    with heads_mail():
        result = import_staff(personas.castle, rows)
    assert result.ok, result.errors
    events = {(e.action, e.school_id, e.detail.rsplit("(", 1)[1]) for e in _grants()[before:]}
    assert events == {
        ("grant", personas.castle.pk, "new.dt@symphony.example)"),
        ("revoke", personas.castle.pk, "dt.castle@symphony.example)"),
    }
    assert len(mail.outbox) == 2


def test_other_roles_are_not_casework_grants(client, personas, heads_mail):
    sign_in(client, personas.admin)
    before = _grants().count()
    with heads_mail():
        assert _new_role(client, personas.nobody, Role.STAFF, personas.castle).status_code == 302
        assert _new_role(client, personas.nobody, Role.EXECUTIVE_HEAD, None).status_code == 302
    assert _grants().count() == before and not mail.outbox


def test_a_membership_loaded_without_its_role_still_knows_what_it_held(personas):
    membership = Membership.objects.only("id", "job_title").get(user=personas.dt_castle, role=Role.DESIGNATED_TEACHER)
    before = _grants().count()
    membership.ended_on = datetime.date.today()
    membership.save()
    (event,) = _grants()[before:]
    assert event.action == "revoke" and event.school_id == personas.castle.pk
