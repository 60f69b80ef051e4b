"""The designated teacher's side of delegated entry: Casework › Delegations, and the child page."""

import datetime

import pytest
import time_machine

from casework.enums import PEPStatus
from casework.models import CaseAuditEvent, Delegation
from conftest import sign_in
from trust.enums import Role
from trust.tests.factories import MembershipFactory, UserFactory

from .factories import ChildFactory, PEPFactory, add_terms

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def children(personas):
    for school in (personas.brook, personas.castle):
        add_terms(school, 2026)
    castle_staff = UserFactory(email="castle.staff@symphony.example", first_name="Cassie", last_name="Castlestaff")
    MembershipFactory(user=castle_staff, role=Role.STAFF, school=personas.castle)
    return {
        "brook": ChildFactory(school=personas.brook, legal_first_name="Brooklyn"),
        "left": ChildFactory(school=personas.brook, legal_first_name="Leftalready", left_on=datetime.date(2026, 10, 1)),
        "castle": ChildFactory(school=personas.castle, legal_first_name="Castor"),
        "castle_staff": castle_staff,
        "delegate": personas.delegate,  # made on first use: before any page is drawn
    }


def _grant(client, child, delegate, ends_on="2027-03-31", sections=("targets", "activities")):
    return client.post(
        "/admin/casework/delegation/create/",
        {"child": child.pk, "delegate": delegate.pk, "sections": list(sections), "ends_on": ends_on},
    )


def test_the_dt_grants_a_delegation_and_it_is_audited(client, personas, children):
    sign_in(client, personas.dt)
    response = _grant(client, children["brook"], personas.delegate)
    assert response.status_code == 302, response.content.decode()[:3000]
    delegation = Delegation.objects.get()
    assert (delegation.child, delegation.delegate, delegation.granted_by) == (
        children["brook"],
        personas.delegate,
        personas.dt,
    )
    assert delegation.sections == ["targets", "activities"] and delegation.ends_on == datetime.date(2027, 3, 31)
    assert CaseAuditEvent.objects.filter(action="create", object_type="delegation").exists()
    listing = client.get("/admin/casework/delegation/").content.decode()
    assert "SMART targets and their progress notes" in listing and "Active" in listing


def test_only_the_dts_current_children_and_their_schools_staff_are_offered(client, personas, children):
    sign_in(client, personas.dt)
    page = client.get("/admin/casework/delegation/create/").content.decode()
    assert "Brooklyn" in page and "Castor" not in page and "Leftalready" not in page
    assert personas.delegate.email in page and personas.staff.email in page
    assert "castle.staff@symphony.example" not in page and "dt@symphony.example" not in page
    assert personas.governor.email not in page


@pytest.mark.parametrize(
    "ends_on,message",
    [
        ("2026-11-29", "The end date cannot be in the past."),
        ("2027-12-01", "A delegation can last a year at most: choose a date no later than 30 November 2027."),
    ],
)
def test_the_end_date_must_be_within_a_year(client, personas, children, ends_on, message):
    sign_in(client, personas.dt)
    response = _grant(client, children["brook"], personas.delegate, ends_on=ends_on)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Delegation.objects.exists()


def test_a_forged_delegate_or_child_is_refused(client, personas, children):
    sign_in(client, personas.dt)
    for child, delegate in (
        (children["brook"], personas.dt),  # the DT themselves
        (children["brook"], children["castle_staff"]),  # not on brook's staff
        (children["brook"], personas.governor),  # a governor is not staff
        (children["castle"], personas.delegate),  # another school's child
        (children["left"], personas.delegate),  # a child who has left
    ):
        response = _grant(client, child, delegate)
        assert response.status_code == 200, (child, delegate)
    assert not Delegation.objects.exists()


def test_the_model_refuses_the_dt_as_their_own_delegate(personas, children):
    from django.core.exceptions import ValidationError

    delegation = Delegation(
        child=children["brook"], delegate=personas.dt, granted_by=personas.dt, sections=["views"],
        ends_on=datetime.date(2027, 1, 31),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        delegation.full_clean()
    assert "You cannot delegate to yourself: choose another member of staff." in str(refused.value)


def _delegation(personas, child, delegate, **extra):
    return Delegation.objects.create(
        child=child,
        delegate=delegate,
        sections=["targets"],
        ends_on=datetime.date(2027, 1, 31),
        granted_by=personas.dt,
        **extra,
    )


def test_another_schools_dt_cannot_see_or_change_the_delegation(client, personas, children):
    delegation = _delegation(personas, children["brook"], personas.delegate)
    sign_in(client, personas.dt_castle)
    assert "Brooklyn" not in client.get("/admin/casework/delegation/").content.decode()
    for action in ("edit", "inspect"):
        assert client.get(f"/admin/casework/delegation/{action}/{delegation.pk}/").status_code == 404
    client.post(f"/admin/casework/delegation/edit/{delegation.pk}/", {"withdrawal_reason": "Mine now"})
    delegation.refresh_from_db()
    assert delegation.withdrawn_at is None


def test_withdrawing_keeps_the_delegation_and_closes_the_delegates_screens(client, personas, children):
    delegation = _delegation(personas, children["brook"], personas.delegate)
    sign_in(client, personas.dt)
    response = client.post(
        f"/admin/casework/delegation/edit/{delegation.pk}/",
        {"sections": ["targets"], "ends_on": "2027-01-31", "withdrawal_reason": "The mentor has changed role."},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    delegation.refresh_from_db()
    assert delegation.withdrawn_at == NOW and delegation.withdrawn_by == personas.dt
    assert delegation.withdrawal_reason == "The mentor has changed role."
    assert CaseAuditEvent.objects.filter(action="change", object_type="delegation").exists()
    # A withdrawn delegation cannot be changed again, nor deleted.
    again = client.post(
        f"/admin/casework/delegation/edit/{delegation.pk}/",
        {"sections": ["views"], "ends_on": "2027-02-28", "withdrawal_reason": "x"},
    )
    assert again.status_code == 200 and "withdrawn and cannot be changed" in again.content.decode()
    client.post(f"/admin/casework/delegation/delete/{delegation.pk}/")
    assert Delegation.objects.get(pk=delegation.pk).sections == ["targets"]
    client.logout()
    sign_in(client, personas.delegate)
    assert client.get(f"/casework/delegated/{delegation.pk}/").status_code == 404


def test_a_delegation_is_never_deleted(client, personas, children):
    delegation = _delegation(personas, children["brook"], personas.delegate)
    sign_in(client, personas.dt)
    assert client.get(f"/admin/casework/delegation/delete/{delegation.pk}/").status_code in (302, 403)
    client.post(f"/admin/casework/delegation/delete/{delegation.pk}/")
    assert Delegation.objects.filter(pk=delegation.pk).exists()


def test_the_child_page_shows_the_delegations_and_what_delegates_entered(client, personas, children):
    child = children["brook"]
    pep = PEPFactory(child=child, status=PEPStatus.IN_PROGRESS)
    delegation = _delegation(personas, child, personas.delegate)
    Delegation.objects.filter(pk=delegation.pk).update(sections=["views", "targets"])
    _delegation(personas, child, personas.staff, withdrawn_at=NOW, withdrawal_reason="Left the class")
    sign_in(client, personas.delegate)
    url = f"/casework/delegated/{delegation.pk}/"
    client.post(url, {"action": "views", "views-childs_views": "Likes art", "views-carers_views": "Settled"})
    client.post(
        url,
        {
            "action": "target",
            "target-area": "Spelling",
            "target-what": "Spell the word list",
            "target-how_measured": "Weekly test",
            "target-baseline": "10",
            "target-target": "25",
            "target-by_when": "2026-12-11",
            "target-who": "Mentor",
        },
    )
    assert pep.targets.count() == 1
    client.logout()
    sign_in(client, personas.dt)
    page = client.get(f"/casework/children/{child.pk}/").content.decode()
    assert "Delegated entry" in page
    assert "The child&#x27;s and the carer&#x27;s views; SMART targets and their progress notes" in page
    assert "31 Jan 2027" in page and "Withdrawn 30 Nov 2026: Left the class" in page
    assert f'href="/admin/casework/delegation/create/?child={child.pk}"' in page
    assert f'href="/admin/casework/delegation/edit/{delegation.pk}/">change or withdraw' in page
    delegate_name = personas.delegate.get_full_name() or personas.delegate.email
    assert f"SMART target: Spelling, entered by {delegate_name}" in page
    assert f"PEP section changed: views, entered by {delegate_name}" in page


def test_a_delegation_can_be_withdrawn_after_the_delegate_left_the_school(client, personas, children):
    delegation = _delegation(personas, children["brook"], personas.delegate)
    personas.delegate.memberships.update(ended_on=datetime.date(2026, 11, 1))
    sign_in(client, personas.dt)
    edit = client.get(f"/admin/casework/delegation/edit/{delegation.pk}/").content.decode()
    assert personas.delegate.email in edit  # still named, though no longer on the staff list
    response = client.post(
        f"/admin/casework/delegation/edit/{delegation.pk}/",
        {"sections": ["targets"], "ends_on": "2027-01-31", "withdrawal_reason": "Left the school."},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    delegation.refresh_from_db()
    assert delegation.withdrawn_at == NOW
    page = client.get(f"/casework/children/{children['brook'].pk}/").content.decode()
    assert "Withdrawn 30 Nov 2026: Left the school." in page
