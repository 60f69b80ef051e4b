"""The child protection file: sent separately, within 5 school days of leaving, with its own receipt."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.core import mail

from casework.enums import DocumentCategory, TransitionPart
from casework.models import CaseAuditEvent, Transition
from conftest import sign_in

from .factories import (
    CaseDocumentFactory,
    ChildFactory,
    TransitionFactory,
    add_terms,
    emailed_links,
    open_transfer_link,
)


@pytest.fixture
def child(personas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    add_terms(personas.brook, 2026)
    add_terms(personas.brook, 2027)
    return ChildFactory(school=personas.brook, legal_first_name="Secretname", left_on=datetime.date(2026, 11, 18))


def _cp_transfer(child, left_on):
    return TransitionFactory(child=child, part=TransitionPart.CHILD_PROTECTION, left_on=left_on)


def test_in_term_time_the_file_is_due_within_5_school_days(child):
    # Left on Wednesday 18 November: Thursday is day one, the next Wednesday day five.
    assert _cp_transfer(child, datetime.date(2026, 11, 18)).due_on == datetime.date(2026, 11, 25)


def test_leaving_in_half_term_gives_the_first_5_days_of_the_new_term(child):
    # Half term runs 24 October to 1 November: day one is Monday 2 November.
    assert _cp_transfer(child, datetime.date(2026, 10, 26)).due_on == datetime.date(2026, 11, 6)


def test_leaving_in_the_summer_holiday_gives_the_first_5_days_of_the_autumn_term(child):
    # The autumn term starts on Friday 3 September 2027.
    assert _cp_transfer(child, datetime.date(2027, 7, 28)).due_on == datetime.date(2027, 9, 9)


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_a_late_child_protection_file_is_flagged_on_the_home_in_school_days(client, personas, child):
    _cp_transfer(child, datetime.date(2026, 11, 18))
    sign_in(client, personas.dt)
    page = client.get("/casework/").content.decode()
    assert "Child protection file to Hill Top Academy" in page
    assert "Child protection file late by 3 school days" in page  # due 25 Nov: 26, 27 and 30 Nov
    assert "within 5 school days of leaving, sent separately from the other records" in page


@time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_a_child_protection_file_sent_on_time_is_not_flagged(client, personas, child):
    cp = _cp_transfer(child, datetime.date(2026, 11, 18))
    cp.documents.add(CaseDocumentFactory(child=child, category=DocumentCategory.CHILD_PROTECTION))
    sign_in(client, personas.dt)
    client.post(f"/casework/transitions/{cp.pk}/")
    page = client.get("/casework/").content.decode()
    assert "Child protection file late" not in page
    assert "Waiting for the receiving school to confirm receipt" in page


@time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_the_file_travels_separately_with_its_own_link_and_receipt(client, personas, child):
    pupil_file = CaseDocumentFactory(child=child, title="Pupil file")
    cp_file = CaseDocumentFactory(child=child, title="Safeguarding record", category=DocumentCategory.CHILD_PROTECTION)
    main = TransitionFactory(child=child, left_on=datetime.date(2026, 11, 18))
    main.documents.add(pupil_file, cp_file)
    sign_in(client, personas.dt)

    refused = client.post(f"/casework/transitions/{main.pk}/", follow=True).content.decode()
    assert "Child protection documents are sent separately" in refused and not mail.outbox
    assert "Send the child protection file separately" in refused

    response = client.post(f"/casework/transitions/{main.pk}/child-protection/", follow=True)
    separate = Transition.objects.get(part=TransitionPart.CHILD_PROTECTION)
    assert response.redirect_chain[-1][0] == f"/casework/transitions/{separate.pk}/"
    page = response.content.decode()
    assert "Child protection file to Hill Top Academy" in page and "Sent separately from" in page
    assert list(separate.documents.all()) == [cp_file] and list(main.documents.all()) == [pupil_file]
    assert separate.travels_with == main and separate.due_on == datetime.date(2026, 11, 25)
    assert separate.receiving_dt_email == main.receiving_dt_email

    client.post(f"/casework/transitions/{main.pk}/")
    client.post(f"/casework/transitions/{separate.pk}/")
    assert [m.subject for m in mail.outbox] == [
        "Records for a child joining your school",
        "Child protection file for a child joining your school",
    ]
    records_link, cp_link = emailed_links(mail.outbox)
    assert records_link != cp_link
    client.logout()
    cp_link = open_transfer_link(client, cp_link)

    receiving = client.get(cp_link).content.decode()
    assert "Child protection file from Brook Primary School" in receiving
    download = client.post(cp_link, {"action": "download"})
    assert 'filename="child-protection-file.zip"' in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(download.getvalue())) as archive:
        assert archive.namelist() == ["01-Safeguarding record.pdf"]
    client.post(cp_link, {"action": "confirm", "name": "Rita Receiver"})
    separate.refresh_from_db()
    main.refresh_from_db()
    assert separate.receipt_confirmed_by == "Rita Receiver" and main.receipt_confirmed_at is None
    assert CaseAuditEvent.objects.filter(action="receipt", object_id=str(separate.pk)).exists()

    sign_in(client, personas.dt)
    main_page = client.get(f"/casework/transitions/{main.pk}/").content.decode()
    assert "receipt confirmed" in main_page and "within 5 school days of leaving" in main_page


def test_a_child_protection_transfer_carries_only_child_protection_documents(client, personas, child):
    cp = _cp_transfer(child, datetime.date(2026, 11, 18))
    cp.documents.add(CaseDocumentFactory(child=child))
    sign_in(client, personas.dt)
    page = client.post(f"/casework/transitions/{cp.pk}/", follow=True).content.decode()
    assert "Only child protection documents go with the child protection file" in page
    assert not mail.outbox


def test_a_child_without_a_child_protection_file_is_told_so(client, personas, child):
    main = TransitionFactory(child=child, left_on=datetime.date(2026, 11, 18))
    sign_in(client, personas.dt)
    assert (
        "No child protection documents are recorded" in client.get(f"/casework/transitions/{main.pk}/").content.decode()
    )
    page = client.post(f"/casework/transitions/{main.pk}/child-protection/", follow=True).content.decode()
    assert "No child protection documents are recorded for this child" in page
    assert Transition.objects.count() == 1


def test_another_schools_designated_teacher_cannot_start_it(client, personas, child):
    CaseDocumentFactory(child=child, category=DocumentCategory.CHILD_PROTECTION)
    main = TransitionFactory(child=child, left_on=datetime.date(2026, 11, 18))
    sign_in(client, personas.dt_castle)
    assert client.post(f"/casework/transitions/{main.pk}/child-protection/").status_code == 404
    assert Transition.objects.count() == 1


def test_starting_it_twice_opens_the_one_already_made(client, personas, child):
    CaseDocumentFactory(child=child, category=DocumentCategory.CHILD_PROTECTION)
    main = TransitionFactory(child=child, left_on=datetime.date(2026, 11, 18))
    sign_in(client, personas.dt)
    client.post(f"/casework/transitions/{main.pk}/child-protection/")
    client.post(f"/casework/transitions/{main.pk}/child-protection/")
    assert Transition.objects.filter(part=TransitionPart.CHILD_PROTECTION).count() == 1


def test_the_admin_refuses_child_protection_documents_in_the_main_transfer(client, personas, child):
    cp_file = CaseDocumentFactory(child=child, category=DocumentCategory.CHILD_PROTECTION)
    pupil_file = CaseDocumentFactory(child=child)
    sign_in(client, personas.dt)
    form = {
        "child": child.pk,
        "receiving_school": "Hill Top Academy",
        "receiving_dt_name": "Rita Receiver",
        "receiving_dt_email": "dt@hilltop.example",
        "left_on": "2026-11-18",
    }
    response = client.post("/admin/casework/transition/create/", {**form, "documents": [cp_file.pk, pupil_file.pk]})
    assert response.status_code == 200
    assert "Child protection documents are sent separately" in response.content.decode()
    assert not Transition.objects.exists()
    assert client.post("/admin/casework/transition/create/", {**form, "documents": [pupil_file.pk]}).status_code == 302
    assert list(Transition.objects.get().documents.all()) == [pupil_file]


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_a_leaver_with_child_protection_documents_is_flagged_until_the_file_is_started(client, personas, child):
    CaseDocumentFactory(child=child, title="Safeguarding record", category=DocumentCategory.CHILD_PROTECTION)
    main = TransitionFactory(child=child, left_on=datetime.date(2026, 11, 18))
    sign_in(client, personas.dt)
    page = client.get("/casework/").content.decode()
    assert "Child protection file not started: send it separately from the other records" in page
    assert "Child protection file late by 3 school days" in page  # due 25 Nov: 26, 27 and 30 Nov
    client.post(f"/casework/transitions/{main.pk}/child-protection/")
    assert Transition.objects.filter(travels_with=main, part=TransitionPart.CHILD_PROTECTION).exists()
    assert "Child protection file not started" not in client.get("/casework/").content.decode()


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_a_leaver_without_child_protection_documents_has_no_such_flag(client, personas, child):
    CaseDocumentFactory(child=child, title="Pupil file")
    TransitionFactory(child=child, left_on=datetime.date(2026, 11, 18))
    sign_in(client, personas.dt)
    assert "Child protection file" not in client.get("/casework/").content.decode()
