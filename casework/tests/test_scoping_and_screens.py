import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from casework.enums import PEPStatus
from casework.models import CaseAuditEvent, Child
from casework.upn import check_letter, validate_upn
from conftest import sign_in

from .factories import CaseDocumentFactory, ChildFactory, PEPFactory, TargetFactory, add_terms


@pytest.fixture
def cases(personas):
    for school in (personas.brook, personas.meadow, personas.castle):
        add_terms(school, 2026)
    return {
        "brook": ChildFactory(school=personas.brook, legal_first_name="Brooklyn"),
        "meadow": ChildFactory(school=personas.meadow, legal_first_name="Meadowlark"),
        "castle": ChildFactory(school=personas.castle, legal_first_name="Castor"),
    }


def test_the_designated_teacher_sees_brook_and_meadow_children_not_castles(client, personas, cases):
    sign_in(client, personas.dt)
    page = client.get("/admin/casework/child/").content.decode()
    assert "Brooklyn" in page and "Meadowlark" in page and "Castor" not in page
    home = client.get("/casework/").content.decode()
    assert "Brooklyn" in home and "Castor" not in home


def test_castles_designated_teacher_sees_only_castle(client, personas, cases):
    sign_in(client, personas.dt_castle)
    page = client.get("/admin/casework/child/").content.decode()
    assert "Castor" in page and "Brooklyn" not in page and "Meadowlark" not in page


@pytest.mark.parametrize("who", ["staff", "governor", "head", "admin", "nobody"])
def test_people_without_a_designated_teacher_role_see_no_child(client, personas, cases, who):
    sign_in(client, getattr(personas, who))
    child = cases["brook"]
    for url in (
        "/casework/",
        f"/casework/children/{child.pk}/",
        "/admin/casework/child/",
        f"/admin/casework/child/inspect/{child.pk}/",
        f"/admin/casework/child/edit/{child.pk}/",
        f"/admin/casework/child/delete/{child.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), (who, url, response.status_code)
        assert b"Brooklyn" not in response.content


def test_governor_cannot_open_a_pep(client, personas, cases):
    pep = PEPFactory(child=cases["brook"])
    sign_in(client, personas.governor)
    assert client.get(f"/admin/casework/pep/edit/{pep.pk}/").status_code in (302, 403, 404)


def test_a_designated_teacher_gets_404_for_another_schools_child(client, personas, cases):
    sign_in(client, personas.dt)
    assert client.get(f"/admin/casework/child/edit/{cases['castle'].pk}/").status_code == 404
    assert client.get(f"/casework/children/{cases['castle'].pk}/").status_code == 404


def test_another_schools_child_cannot_be_chosen_on_a_pep_form(client, personas, cases):
    sign_in(client, personas.dt)
    page = client.get("/admin/casework/pep/create/").content.decode()
    assert "Brooklyn" in page and "Castor" not in page
    response = client.post(
        "/admin/casework/pep/create/",
        {
            "child": cases["castle"].pk,
            "academic_year": "2026/27",
            "term": "autumn",
            "period_starts_on": "2026-09-03",
            "period_ends_on": "2026-12-18",
            "previous_target_evaluations-TOTAL_FORMS": "0",
            "previous_target_evaluations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert not cases["castle"].peps.exists()


def test_saving_a_child_is_audited_and_never_reaches_site_history(client, personas, cases):
    sign_in(client, personas.dt)
    child = cases["brook"]
    response = client.post(
        f"/admin/casework/child/edit/{child.pk}/",
        {
            "legal_first_name": "Brooklyn",
            "legal_last_name": "Testchild",
            "preferred_name": "Brook",
            "date_of_birth": "2016-02-29",
            "upn": child.upn,
            "school": child.school_id,
            "year_group": "5",
            "cohort": "looked_after",
            "entered_care_on": "2025-06-01",
            "started_on": "2025-09-03",
            "sen_status": "none",
            "responsible_authority": child.responsible_authority_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    child.refresh_from_db()
    assert child.preferred_name == "Brook"
    assert CaseAuditEvent.objects.filter(action="change", child_id=child.pk).exists()
    assert not ModelLogEntry.objects.filter(content_type__app_label="casework").exists()
    assert not CaseAuditEvent.objects.filter(detail__icontains="Brook").exclude(detail="").exists()


def test_export_from_the_casework_lists_is_off(client, personas, cases):
    sign_in(client, personas.dt)
    response = client.get("/admin/casework/child/?export=csv")
    assert response.status_code in (302, 403)  # Wagtail turns a refusal into a redirect to the dashboard
    assert "csv" not in response.get("Content-Type", "")


def test_casework_responses_are_not_stored(client, personas, cases):
    sign_in(client, personas.dt)
    assert "no-store" in client.get("/casework/")["Cache-Control"]
    assert "no-store" in client.get(f"/casework/children/{cases['brook'].pk}/")["Cache-Control"]


def test_a_child_on_legal_hold_cannot_be_deleted(client, personas, cases):
    child = cases["brook"]
    Child.objects.filter(pk=child.pk).update(legal_hold=True)
    sign_in(client, personas.dt)
    client.post(f"/admin/casework/child/delete/{child.pk}/")
    assert Child.objects.filter(pk=child.pk).exists()


def test_a_upn_with_the_wrong_check_letter_is_refused():
    body = "801200101001"
    validate_upn(check_letter(body) + body)
    wrong = "Z" if check_letter(body) != "Z" else "A"
    with pytest.raises(ValidationError, match="check letter"):
        validate_upn(wrong + body)
    with pytest.raises(ValidationError, match="13 characters"):
        validate_upn("1234")


@pytest.mark.parametrize("la", ["000", "999", "200", "939"])
def test_a_upn_whose_local_authority_number_does_not_exist_is_refused(la):
    body = la + "200101001"
    with pytest.raises(ValidationError, match=f"local authority's number, from 201 to 938; {la} is not one"):
        validate_upn(check_letter(body) + body)


def test_the_example_in_the_upn_message_passes_its_own_checks():
    from casework.upn import EXAMPLE

    validate_upn(EXAMPLE)
    with pytest.raises(ValidationError, match=EXAMPLE):
        validate_upn("1234")


def test_the_upn_check_letter_matches_the_dfe_algorithm():
    # Weights 2..13 over the 12 characters; remainder mod 23 picks from ABCDEFGHJKLMNPQRTUVWXYZ.
    body = "820200101001"
    total = sum(int(c) * w for c, w in zip(body, range(2, 14), strict=True))
    assert check_letter(body) == "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23]


def test_a_target_missing_smart_parts_names_each_one(cases):
    pep = PEPFactory(child=cases["brook"])
    target = TargetFactory.build(pep=pep, how_measured="", who="", by_when=None)
    with pytest.raises(ValidationError) as raised:
        target.full_clean()
    errors = raised.value.message_dict
    assert set(errors) == {"how_measured", "who", "by_when"}
    assert "Measurable" in errors["how_measured"][0]


def test_a_target_date_must_fall_inside_the_peps_period(cases):
    pep = PEPFactory(child=cases["brook"])
    target = TargetFactory.build(pep=pep, by_when=datetime.date(2027, 3, 1))
    with pytest.raises(ValidationError, match="inside the PEP's period"):
        target.full_clean()


def test_sending_a_pep_back_needs_a_reason_and_only_the_dt_signs_off(personas, cases):
    pep = PEPFactory(child=cases["brook"], complete=True)
    pep.move_to(PEPStatus.IN_PROGRESS, personas.dt)
    pep.move_to(PEPStatus.READY, personas.dt)
    with pytest.raises(ValidationError, match="Say why"):
        pep.move_to(PEPStatus.IN_PROGRESS, personas.dt)
    pep.move_to(PEPStatus.IN_PROGRESS, personas.dt, reason="Add the carer's views")
    pep.move_to(PEPStatus.READY, personas.dt)
    with pytest.raises(ValidationError, match="designated teacher"):
        pep.move_to(PEPStatus.SIGNED_OFF, personas.dt_castle)
    pep.move_to(PEPStatus.SIGNED_OFF, personas.dt)
    assert pep.signed_off_by == personas.dt
    assert [c.to_status for c in pep.status_changes.all()][-1] == PEPStatus.SIGNED_OFF


def test_a_cohort_change_keeps_the_history(cases):
    child = cases["brook"]
    child.cohort = "previously_looked_after"
    child.save()
    assert [c.cohort for c in child.cohort_history.all()] == ["looked_after", "previously_looked_after"]


def test_retention_is_date_of_birth_plus_25_years_or_31_with_an_ehcp(cases):
    child = cases["brook"]  # born 29 Feb 2016
    assert child.retention_until() == datetime.date(2041, 2, 28)
    child.sen_status = "ehcp"
    child.save()  # the record's retention basis is set when it is saved, and kept
    assert child.retention_until() == datetime.date(2047, 2, 28)


def test_the_dt_downloads_a_document_as_an_attachment(client, personas, cases):
    document = CaseDocumentFactory(child=cases["brook"])
    sign_in(client, personas.dt)
    response = client.get(f"/casework/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert CaseAuditEvent.objects.filter(action="download", object_id=str(document.pk)).exists()
    sign_in(client, personas.dt_castle)
    assert client.get(f"/casework/documents/{document.pk}/download/").status_code == 404


def test_the_designated_teachers_group_holds_the_casework_permissions(db):
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="Designated teachers")
        .permissions.filter(content_type__app_label="casework")
        .values_list("codename", flat=True)
    )
    for model in ("child", "pep", "target", "review", "casedocument", "transition", "sharedrecommendation"):
        assert {f"{a}_{model}" for a in ("add", "change", "delete", "view")} <= codenames
    expected = {"Executive head": {"deadlinerule"}, "Trust administrators": {"deadlinerule", "ppplusrate"}}
    for trust_wide, kept in expected.items():
        models = set(
            Group.objects.get(name=trust_wide)
            .permissions.filter(content_type__app_label="casework")
            .values_list("content_type__model", flat=True)
        )
        assert models == kept  # deadline rules and PP+ rates hold no child data


def test_a_wrong_upn_is_refused_in_the_admin_with_a_plain_message(client, personas, cases):
    sign_in(client, personas.dt)
    body = "855200116001"
    wrong = "Z" if check_letter(body) != "Z" else "A"
    response = client.post(
        "/admin/casework/child/create/",
        {
            "legal_first_name": "New",
            "legal_last_name": "Arrival",
            "date_of_birth": "2017-05-01",
            "upn": wrong + body,
            "school": personas.brook.pk,
            "year_group": "4",
            "cohort": "looked_after",
            "entered_care_on": "2026-10-01",
            "started_on": "2026-11-02",
            "sen_status": "none",
        },
    )
    assert response.status_code == 200
    assert "check letter does not match" in response.content.decode()
    assert not Child.objects.filter(legal_first_name="New").exists()


@pytest.mark.parametrize(("who", "shown"), [("dt", True), ("dt_castle", True), ("head", False), ("admin", False)])
def test_the_casework_menu_is_shown_only_to_designated_teachers(client, personas, who, shown):
    sign_in(client, getattr(personas, who))
    page = client.get("/admin/").content.decode()
    assert ("/admin/casework/child/" in page) is shown
