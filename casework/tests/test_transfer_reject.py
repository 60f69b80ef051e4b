"""The receiving school accepts or rejects a transfer through its single-use link."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from casework.models import CaseAuditEvent, Transition
from conftest import sign_in
from trust.enums import Role
from trust.tests.factories import MembershipFactory, UserFactory

from .factories import CaseDocumentFactory, ChildFactory, TransitionFactory, add_terms, open_transfer_link

NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sent(client, personas, tmp_path, settings):
    """A transfer from brook with its link out: (transition, the receiving school's page)."""
    settings.MEDIA_ROOT = tmp_path
    add_terms(personas.brook, 2026)
    child = ChildFactory(school=personas.brook, legal_first_name="Secretname", left_on=datetime.date(2026, 11, 20))
    transition = TransitionFactory(child=child, left_on=datetime.date(2026, 11, 20))
    transition.documents.add(CaseDocumentFactory(child=child))
    token = transition.issue_link(personas.dt)
    mail.outbox.clear()
    return transition, open_transfer_link(client, f"/casework/receive/?link={token}")


def _reject(client, path, name="Rita Receiver", reason="This child is not joining Hill Top.", **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, {"action": "reject", "name": name, "reason": reason}, **extra)


def test_the_receiving_school_rejects_a_transfer_with_its_reason(client, personas, sent):
    transition, path = sent
    assert "Reject the records" in client.get(path).content.decode()
    response = _reject(client, path, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    transition.refresh_from_db()
    assert transition.rejected_at == NOW and transition.is_rejected
    assert (transition.rejected_by, transition.rejected_ip) == ("Rita Receiver", "198.51.100.7")
    assert transition.rejection_reason == "This child is not joining Hill Top."
    page = client.get(path).content.decode()
    assert "You rejected these records" in page and "Download the records" not in page


def test_a_rejection_is_audited_by_ids_only(client, personas, sent):
    transition, path = sent
    _reject(client, path, REMOTE_ADDR="198.51.100.7")
    event = CaseAuditEvent.objects.get(action="reject")
    assert (event.object_type, event.object_id, event.child_id, event.ip) == (
        "transition",
        str(transition.pk),
        transition.child_id,
        "198.51.100.7",
    )
    assert "Secretname" not in f"{event.detail} {event.user_label} {event}"


def test_the_sending_schools_designated_teachers_are_emailed_without_the_childs_name(client, personas, sent):
    transition, path = sent
    second_dt = UserFactory(email="deputy.dt@symphony.example")
    MembershipFactory(user=second_dt, role=Role.DESIGNATED_TEACHER, school=personas.brook)
    _reject(client, path)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["deputy.dt@symphony.example", "dt@symphony.example"]
    assert message.subject == "Hill Top Academy rejected the records you sent"
    assert "Secretname" not in message.subject and "Secretname" not in message.body
    assert f"/casework/transitions/{transition.pk}/" in message.body


def test_the_email_waits_for_the_rejection_to_be_committed(client, personas, sent):
    _, path = sent
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        client.post(path, {"action": "reject", "name": "Rita Receiver", "reason": "Wrong child"})
    assert not mail.outbox  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    assert [m.subject for m in mail.outbox] == ["Hill Top Academy rejected the records you sent"]


def test_an_empty_reason_is_a_plain_error_and_nothing_is_saved(client, personas, sent):
    transition, path = sent
    response = _reject(client, path, reason="   ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Enter why you are rejecting the records" in page
    assert 'value="Rita Receiver"' in page  # what they typed is kept
    transition.refresh_from_db()
    assert transition.rejected_at is None and not transition.rejection_reason
    assert not mail.outbox and not CaseAuditEvent.objects.filter(action="reject").exists()


def test_an_empty_name_is_a_plain_error_too(client, personas, sent):
    transition, path = sent
    assert "Enter your name to reject the records" in _reject(client, path, name="").content.decode()
    transition.refresh_from_db()
    assert transition.rejected_at is None


def test_rejected_records_can_no_longer_be_downloaded_or_confirmed(client, personas, sent):
    transition, path = sent
    _reject(client, path)
    assert client.post(path, {"action": "download"}).status_code == 410
    client.post(path, {"action": "confirm", "name": "Rita Receiver"})
    transition.refresh_from_db()
    assert transition.receipt_confirmed_at is None and not transition.downloads.exists()


def test_confirmed_records_cannot_then_be_rejected(client, personas, sent):
    transition, path = sent
    client.post(path, {"action": "confirm", "name": "Rita Receiver"})
    assert "already confirmed" in _reject(client, path).content.decode()
    transition.refresh_from_db()
    assert transition.rejected_at is None and transition.receipt_confirmed_by == "Rita Receiver"


def test_the_sending_dt_sees_the_rejection_and_its_flag_then_sends_a_new_link(client, personas, sent):
    transition, path = sent
    _reject(client, path)
    mail.outbox.clear()
    sign_in(client, personas.dt)
    child_page = client.get(f"/casework/children/{transition.child_id}/").content.decode()
    assert "Rejected by the receiving school: This child is not joining Hill Top." in child_page
    assert "Rejected by the receiving school: send a new link" in client.get("/casework/").content.decode()
    transition_page = client.get(f"/casework/transitions/{transition.pk}/").content.decode()
    assert "Rejected by the receiving school: This child is not joining Hill Top." in transition_page
    assert "24 Nov 2026 10:00 by Rita Receiver from 127.0.0.1" in transition_page

    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        sign_in(client, personas.dt)  # a new session: an hour idle signs a person out
        client.post(f"/casework/transitions/{transition.pk}/")
    transition.refresh_from_db()
    assert not transition.is_rejected and len(mail.outbox) == 1
    assert "Rejected by the receiving school: send a new link" not in client.get("/casework/").content.decode()
    assert client.get(path).status_code == 404  # the rejected link ended with the new one


def test_the_accept_path_still_confirms_receipt(client, personas, sent):
    transition, path = sent
    assert client.post(path, {"action": "download"})["Content-Type"] == "application/zip"
    client.post(path, {"action": "confirm", "name": "Rita Receiver"})
    transition.refresh_from_db()
    assert transition.receipt_confirmed_by == "Rita Receiver" and not transition.is_rejected
    assert Transition.objects.filter(rejected_at__isnull=False).count() == 0
