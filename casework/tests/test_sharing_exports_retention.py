import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail import hooks

from casework.models import CaseAuditEvent, Child, SharedRecommendation
from conftest import sign_in

from .factories import ChildFactory, PEPFactory, TargetFactory, add_terms


@pytest.fixture
def pep(personas):
    add_terms(personas.brook, 2026)
    child = ChildFactory(
        school=personas.brook, legal_first_name="Jasmine", legal_last_name="Secretname", preferred_name="Jazz"
    )
    pep = PEPFactory(child=child)
    TargetFactory(pep=pep)
    return pep


def _dashboard_panels(rf, user):
    request = rf.get("/")
    request.user = user
    panels = (fn(request) for fn in hooks.get_hooks("portal_dashboard_panels"))
    return {p.title: p for p in panels if p}


def test_staff_see_only_the_shared_recommendation_and_the_preferred_name(rf, personas, pep):
    SharedRecommendation.objects.create(
        pep=pep, recommendation="Give a movement break after lunch", shared_with=personas.staff, shared_by=personas.dt
    )
    panel = _dashboard_panels(rf, personas.staff)["Recommendations shared with you"]
    (item,) = panel.context["items"]
    assert item["name"] == "Jazz" and "movement break" in item["recommendation"]
    assert "Secretname" not in str(panel.context)
    assert "Recommendations shared with you" not in _dashboard_panels(rf, personas.governor)


def test_staff_acknowledge_and_the_dt_sees_who_did(client, personas, pep):
    share = SharedRecommendation.objects.create(
        pep=pep, recommendation="Seat near the door", shared_with=personas.staff
    )
    sign_in(client, personas.governor)
    assert client.post(f"/casework/recommendations/{share.pk}/acknowledge/").status_code == 404
    sign_in(client, personas.staff)
    client.post(f"/casework/recommendations/{share.pk}/acknowledge/")
    share.refresh_from_db()
    assert share.acknowledged_at is not None
    sign_in(client, personas.dt)
    page = client.get(f"/casework/children/{pep.child_id}/").content.decode()
    assert (
        "Seat near the door" in page and "Not yet" not in page.split("Recommendations shared")[1].split("</table>")[0]
    )


def test_sharing_ends_when_the_child_leaves_or_it_is_withdrawn(rf, personas, pep):
    share = SharedRecommendation.objects.create(
        pep=pep, recommendation="Check in each morning", shared_with=personas.staff
    )
    Child.objects.filter(pk=pep.child_id).update(left_on=datetime.date.today())
    assert not SharedRecommendation.objects.active().exists()
    Child.objects.filter(pk=pep.child_id).update(left_on=None)
    SharedRecommendation.objects.filter(pk=share.pk).update(withdrawn_at=datetime.datetime.now(datetime.UTC))
    assert "Recommendations shared with you" not in _dashboard_panels(rf, personas.staff)


def test_a_recommendation_can_only_be_shared_with_someone_at_the_childs_school(client, personas, pep):
    sign_in(client, personas.dt)
    page = client.get("/admin/casework/sharedrecommendation/create/").content.decode()
    assert f'value="{personas.staff.pk}"' in page
    assert f'value="{personas.dt_castle.pk}"' not in page and f'value="{personas.head.pk}"' not in page
    client.post(
        "/admin/casework/sharedrecommendation/create/",
        {"pep": pep.pk, "recommendation": "x", "shared_with": personas.dt_castle.pk},
    )
    assert not SharedRecommendation.objects.exists()


def test_the_designated_teacher_downloads_a_pep_as_pdf_and_it_is_logged(client, personas, pep):
    sign_in(client, personas.dt)
    response = client.get(f"/casework/peps/{pep.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert CaseAuditEvent.objects.filter(action="export", object_id=str(pep.pk)).exists()
    sign_in(client, personas.dt_castle)
    assert client.get(f"/casework/peps/{pep.pk}/pdf/").status_code == 404


def test_the_retention_report_lists_ids_and_legal_holds_without_names(personas):
    old = ChildFactory(
        school=personas.brook,
        legal_first_name="Elder",
        date_of_birth=datetime.date(1995, 1, 1),
        started_on=datetime.date(2000, 9, 4),
    )
    held = ChildFactory(school=personas.brook, legal_first_name="Held", legal_hold=True)
    out = StringIO()
    call_command("retention_report", stdout=out)
    text = out.getvalue()
    assert f"{old.pk}\tBrook Primary School\t2020-01-01\tdue for deletion" in text
    assert f"{held.pk}\tBrook Primary School" in text and "legal hold" in text
    assert "Elder" not in text and "Held\t" not in text


def test_the_dashboard_shows_the_designated_teacher_counts_not_names(rf, personas, pep):
    panel = _dashboard_panels(rf, personas.dt)["Casework"]
    assert panel.context["children"] == 1
    assert "Casework" not in _dashboard_panels(rf, personas.head)
