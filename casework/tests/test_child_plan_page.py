"""The child's page is the plan: the current PEP in full, the child's other plans, reviews, activities,
documents, placements and the people around the child; the PEP's PDF holds the same; the SEND file goes to
the receiving school's SENCO through its own link and receipt."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from casework.enums import DocumentCategory, TransitionPart
from casework.models import (
    Activity,
    CaseAuditEvent,
    LinkedPlan,
    Placement,
    Review,
    SharedRecommendation,
    TargetProgress,
    Transition,
)
from conftest import sign_in

from .factories import (
    CaseDocumentFactory,
    ChildFactory,
    PEPFactory,
    TargetFactory,
    TransitionFactory,
    add_terms,
    emailed_links,
    open_transfer_link,
)

NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def plan(personas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    add_terms(personas.brook, 2026)
    child = ChildFactory(
        school=personas.brook,
        legal_first_name="Amelia",
        preferred_name="Millie",
        legal_last_name="Ward",
        social_worker_name="Sam Social",
        social_worker_email="sam.social@leics.example",
        social_worker_phone="0116 555 0101",
        iro_name="Iris Reviewer",
        iro_email="iris.iro@leics.example",
        iro_phone="0116 555 0102",
        senco_name="Sue Senco",
        senco_email="senco@brook.example",
        senco_phone="0116 555 0103",
    )
    pep = PEPFactory(child=child, attendees="Millie\nSam Social (social worker)")
    target = TargetFactory(pep=pep, area="Reading")
    TargetProgress.objects.create(target=target, noted_on=datetime.date(2026, 10, 1), note="Now on book band 9")
    care_plan = CaseDocumentFactory(child=child, title="Care plan")
    LinkedPlan.objects.create(
        child=child, kind="care_plan", dated=datetime.date(2026, 9, 4), reference="CP-77", document=care_plan
    )
    Review.objects.create(
        child=child,
        kind="statutory",
        held_on=datetime.date(2026, 10, 8),
        representative="Dee Teacher (DT)",
        outcome="Placement stable",
    )
    Activity.objects.create(
        child=child, activity="Chess club", provider="Brook chess", starts_on=datetime.date(2026, 9, 10), target=target
    )
    SharedRecommendation.objects.create(
        pep=pep, recommendation="Use a visual timetable", shared_with=personas.staff, acknowledged_at=timezone.now()
    )
    Placement.objects.create(
        child=child,
        kind="residential",
        carer_name="Oak House",
        starts_on=datetime.date(2025, 6, 1),
        ends_on=datetime.date(2026, 2, 1),
    )
    Placement.objects.create(
        child=child,
        kind="foster",
        carer_name="Fran Foster",
        carer_phone="0116 555 0104",
        carer_email="fran@foster.example",
        provider="Brightside Fostering",
        starts_on=datetime.date(2026, 2, 2),
        reason_for_move="Closer to school",
    )
    return {"child": child, "pep": pep, "target": target}


PLAN_TEXT = [
    "Reading",
    "Now on book band 9",
    "Book band 8",
    "Book band 10",
    "Not started",
    "Care Plan",
    "CP-77",
    "Statutory (looked-after child) review",
    "Dee Teacher (DT) attending",
    "Chess club",
    "Use a visual timetable",
    "Acknowledged by",
    "Sam Social",
    "sam.social@leics.example",
    "0116 555 0101",
    "Iris Reviewer",
    "iris.iro@leics.example",
    "0116 555 0102",
    "Fran Foster",
    "fran@foster.example",
    "0116 555 0104",
    "Sue Senco",
    "senco@brook.example",
    "0116 555 0103",
    "Foster care",
    "Brightside Fostering",
    "Children&#x27;s home",
    "Oak House",
    "Closer to school",
]


@time_machine.travel(NOW, tick=False)
def test_the_childs_page_shows_the_current_pep_in_full_and_the_people_around_the_child(client, personas, plan):
    sign_in(client, personas.dt)
    page = client.get(f"/casework/children/{plan['child'].pk}/").content.decode()
    missing = [text for text in PLAN_TEXT if text not in page]
    assert not missing
    assert "1 move recorded" in page
    assert "The plan: PEP Autumn 2026/27" in page
    pep, child = plan["pep"], plan["child"]
    for link in (
        f"/admin/casework/target/create/?pep={pep.pk}",
        f"/admin/casework/sharedrecommendation/create/?pep={pep.pk}",
        f"/admin/casework/linkedplan/create/?child={child.pk}",
        f"/admin/casework/review/create/?child={child.pk}",
        f"/admin/casework/activity/create/?child={child.pk}",
        f"/admin/casework/casedocument/create/?child={child.pk}",
        f"/admin/casework/placement/create/?child={child.pk}",
        f"/admin/casework/pep/create/?child={child.pk}",
    ):
        assert f'href="{link}"' in page, link


@time_machine.travel(NOW, tick=False)
def test_a_signed_off_pep_offers_no_new_target(client, personas, plan):
    type(plan["pep"]).objects.filter(pk=plan["pep"].pk).update(status="signed_off")  # as a fixture loads it
    sign_in(client, personas.dt)
    page = client.get(f"/casework/children/{plan['child'].pk}/").content.decode()
    assert "/admin/casework/target/create/" not in page and "Reading" in page


PAGE_QUERIES = 35  # the plan, care episodes, and the current PEP's content, attendance, suspensions and PP+


@pytest.mark.parametrize("size", [1, 4])
@time_machine.travel(NOW, tick=False)
def test_the_childs_page_takes_the_same_queries_whatever_the_size_of_the_plan(
    client, personas, plan, size, django_assert_num_queries
):
    child, pep = plan["child"], plan["pep"]
    for n in range(size):
        target = TargetFactory(pep=pep, area=f"Area{n}")
        TargetProgress.objects.create(target=target, note=f"Note{n}")
        Activity.objects.create(child=child, activity=f"Club{n}", starts_on=datetime.date(2026, 9, 10), target=target)
        LinkedPlan.objects.create(child=child, kind="iep", dated=datetime.date(2026, 9, 4), reference=f"IEP-{n}")
        Review.objects.create(child=child, kind="pep", held_on=datetime.date(2026, 12, 8), representative=f"Rep{n}")
        Placement.objects.create(
            child=child,
            kind="foster",
            carer_name=f"Carer{n}",
            starts_on=datetime.date(2025, 1, 1 + n),
            ends_on=datetime.date(2025, 1, 20),
        )
        SharedRecommendation.objects.create(pep=pep, recommendation=f"Rec{n}", shared_with=personas.staff)
        CaseDocumentFactory(child=child, title=f"Doc{n}")
    sign_in(client, personas.dt)
    client.get("/")
    with django_assert_num_queries(PAGE_QUERIES):
        page = client.get(f"/casework/children/{child.pk}/").content.decode()
    assert all(f"Club{n}" in page and f"Carer{n}" in page and f"Rec{n}" in page for n in range(size))


@time_machine.travel(NOW, tick=False)
def test_the_pep_pdf_holds_what_the_childs_page_shows_of_the_pep(client, personas, plan):
    pypdf = pytest.importorskip("pypdf")
    sign_in(client, personas.dt)
    response = client.get(f"/casework/peps/{plan['pep'].pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    # Whitespace out: the extraction splits a kerned word ("T eacher") or joins table cells.
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    expected = [t.replace("&#x27;", "'") for t in PLAN_TEXT if t != "Acknowledged by"] + [
        "Acknowledged by",
        "Linked plans",
        "Reviews",
        "Out-of-hours learning",
        "Recommendations shared with staff",
        "People around the child",
        "Independent reviewing officer (IRO)",
        "Placed",
        "Amelia Ward",
    ]
    expected.remove("Placed")
    missing = [t for t in expected if "".join(t.split()) not in text]
    assert not missing, text
    assert CaseAuditEvent.objects.filter(action="export", detail="PEP as PDF").exists()


@pytest.fixture
def leaving(plan):
    child = plan["child"]
    pupil_file = CaseDocumentFactory(child=child, title="Pupil file")
    ehcp = CaseDocumentFactory(child=child, title="EHCP", category=DocumentCategory.SEN)
    main = TransitionFactory(child=child, left_on=datetime.date(2026, 11, 18))
    main.documents.add(pupil_file, ehcp)
    return {"main": main, "ehcp": ehcp, "pupil_file": pupil_file}


@time_machine.travel(NOW, tick=False)
def test_the_send_file_goes_to_the_receiving_senco_with_its_own_link_and_receipt(client, personas, leaving):
    main = leaving["main"]
    sign_in(client, personas.dt)
    assert (
        "Send the SEND file to the SENCO separately" in client.get(f"/casework/transitions/{main.pk}/").content.decode()
    )
    response = client.post(
        f"/casework/transitions/{main.pk}/send-file/",
        {"senco_name": "Sid Senco", "senco_email": "senco@hilltop.example"},
        follow=True,
    )
    separate = Transition.objects.get(part=TransitionPart.SEND)
    assert response.redirect_chain[-1][0] == f"/casework/transitions/{separate.pk}/"
    page = response.content.decode()
    assert "SEND file to Hill Top Academy" in page and "Receiving SENCO" in page
    assert list(separate.documents.all()) == [leaving["ehcp"]] and list(main.documents.all()) == [leaving["pupil_file"]]
    assert separate.send_file_of == main and separate.receiving_dt_email == "senco@hilltop.example"

    client.post(f"/casework/transitions/{separate.pk}/")
    assert [m.to for m in mail.outbox] == [["senco@hilltop.example"]]
    assert mail.outbox[0].subject == "SEND file for a child joining your school"
    assert "Millie" not in mail.outbox[0].body and "Ward" not in mail.outbox[0].body
    (link,) = emailed_links(mail.outbox)
    client.logout()
    link = open_transfer_link(client, link)
    receiving = client.get(link).content.decode()
    assert "SEND file from Brook Primary School" in receiving and "Sid Senco, SENCO at Hill Top Academy" in receiving
    download = client.post(link, {"action": "download"})
    assert 'filename="send-file.zip"' in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(download.getvalue())) as archive:
        assert archive.namelist() == ["01-EHCP.pdf"]
    client.post(link, {"action": "confirm", "name": "Sid Senco"})
    separate.refresh_from_db()
    main.refresh_from_db()
    assert separate.receipt_confirmed_by == "Sid Senco" and main.receipt_confirmed_at is None
    assert CaseAuditEvent.objects.filter(action="receipt", object_id=str(separate.pk)).exists()

    sign_in(client, personas.dt)
    main_page = client.get(f"/casework/transitions/{main.pk}/").content.decode()
    assert "Sent separately to Sid Senco, the SENCO" in main_page and "receipt confirmed" in main_page


def test_the_send_file_needs_the_sencos_name_email_and_sen_documents(client, personas, plan):
    main = TransitionFactory(child=plan["child"], left_on=datetime.date(2026, 11, 18))
    sign_in(client, personas.dt)
    page = client.post(
        f"/casework/transitions/{main.pk}/send-file/", {"senco_name": "", "senco_email": "nope"}, follow=True
    ).content.decode()
    assert "Enter the name of the receiving school&#x27;s SENCO." in page
    assert "Enter the SENCO&#x27;s email address" in page
    assert "No SEN or EHCP documents are recorded for this child" in page
    assert Transition.objects.count() == 1


def test_a_send_file_holding_other_documents_is_not_sent(client, personas, leaving):
    send = TransitionFactory(child=leaving["main"].child, part=TransitionPart.SEND, left_on=datetime.date(2026, 11, 18))
    send.documents.add(leaving["pupil_file"])
    sign_in(client, personas.dt)
    page = client.post(f"/casework/transitions/{send.pk}/", follow=True).content.decode()
    assert "Only SEN or EHCP documents go with the SEND file" in page and not mail.outbox


@time_machine.travel(NOW, tick=False)
def test_the_pep_goes_to_the_social_worker_with_its_own_link_and_receipt(client, personas, plan):
    pep, child = plan["pep"], plan["child"]
    sign_in(client, personas.dt)
    assert "Send this PEP to Sam Social" in client.get(f"/casework/children/{child.pk}/").content.decode()
    response = client.post(f"/casework/peps/{pep.pk}/send-to-social-worker/", follow=True)
    sent = Transition.objects.get(part=TransitionPart.PEP)
    assert response.redirect_chain[-1][0] == f"/casework/transitions/{sent.pk}/"
    assert "PEP to Leicestershire" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["sam.social@leics.example"]]
    assert "Millie" not in mail.outbox[0].body and "Ward" not in mail.outbox[0].body
    home = client.get("/casework/").content.decode()
    assert "PEP to Leicestershire" not in home  # not a move: no transfer deadline
    (link,) = emailed_links(mail.outbox)
    client.logout()
    link = open_transfer_link(client, link)
    assert "Sam Social, social worker" in client.get(link).content.decode()
    download = client.post(link, {"action": "download"})
    with zipfile.ZipFile(io.BytesIO(download.getvalue())) as archive:
        (name,) = archive.namelist()
        assert archive.read(name).startswith(b"%PDF")
    client.post(link, {"action": "confirm", "name": "Sam Social"})
    sent.refresh_from_db()
    assert sent.receipt_confirmed_by == "Sam Social"


def test_the_pep_is_not_sent_without_the_social_workers_email(client, personas, plan):
    from casework.models import Child

    Child.objects.filter(pk=plan["child"].pk).update(social_worker_email="")
    sign_in(client, personas.dt)
    page = client.post(f"/casework/peps/{plan['pep'].pk}/send-to-social-worker/", follow=True).content.decode()
    assert "Record the social worker&#x27;s name and email on the child&#x27;s record first." in page
    assert not Transition.objects.exists() and not mail.outbox
