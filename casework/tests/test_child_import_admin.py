"""Go-live import in the admin (Casework › Import children): a preview by name, then exactly that, or nothing."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import CaseAuditEvent, Child
from conftest import sign_in

from .factories import ChildFactory, LocalAuthorityFactory, make_upn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC), tick=False):
        yield


URL = "/admin/casework/import-children/"
HEADER = "legal_first_name,legal_last_name,date_of_birth,year_group,started_on,entered_care_on,last_pep_on,upn,school\n"


def _upload(client, school, text, name="children.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(URL, {"school": school.pk, "file": SimpleUploadedFile(name, data, content_type="text/csv")})


def _confirm(client, response):
    return client.post(URL, {"action": "confirm", "digest": response.context["plan"].digest})


@pytest.fixture
def ada(personas):
    LocalAuthorityFactory(name="Leicestershire")
    return ChildFactory(
        school=personas.brook,
        legal_first_name="Ada",
        legal_last_name="Lovelace",
        date_of_birth=datetime.date(2016, 5, 1),
        upn=make_upn(901),
        year_group="5",
        entered_care_on=datetime.date(2025, 6, 1),
        started_on=datetime.date(2025, 9, 3),
    )


def test_the_preview_names_who_is_added_and_what_changes_and_saves_nothing(client, personas, ada):
    sign_in(client, personas.dt)
    text = HEADER + (
        f"Ada,Lovelace,2016-05-01,6,2025-09-03,2025-06-01,2026-10-01,{make_upn(901)},\n"
        f"Ben,Brook,2017-02-03,4,2026-11-16,2026-11-16,,{make_upn(902)},\n"
    )
    response = _upload(client, personas.brook, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Brook Primary School: 1 children added, 1 changed" in page
    plan = response.context["plan"]
    assert [(p.line, p.name, p.last_pep_on) for p in plan.added] == [(3, "Ben Brook", "")]
    assert [(p.line, p.name, p.changes, p.last_pep_on) for p in plan.changed] == [
        (
            2,
            "Ada Lovelace",
            ["year group Year 5 → Year 6", "last PEP before the portal (none) → 1 Oct 2026"],
            "1 Oct 2026",
        )
    ]
    assert "year group Year 5 → Year 6; last PEP before the portal (none) → 1 Oct 2026" in page
    assert Child.objects.count() == 1
    ada.refresh_from_db()
    assert ada.year_group == "5" and ada.pep_before_portal_on is None
    assert CaseAuditEvent.objects.filter(action="list", detail__startswith="go-live import preview").count() == 1


def test_confirm_applies_exactly_the_preview_and_audits_each_child(client, personas, ada):
    sign_in(client, personas.dt)
    text = HEADER + (
        f"Ada,Lovelace,2016-05-01,6,2025-09-03,,2026-10-01,{make_upn(901)},\n"
        f"Ben,Brook,2017-02-03,4,2026-11-16,2026-11-16,,{make_upn(902)},meadow\n"
    )
    response = _confirm(client, _upload(client, personas.brook, text))
    assert response.status_code == 302
    ada.refresh_from_db()
    assert (ada.year_group, ada.pep_before_portal_on) == ("6", datetime.date(2026, 10, 1))
    ben = Child.objects.get(legal_first_name="Ben")
    assert ben.school == personas.meadow and ben.pep_before_portal_on is None
    page = client.get(URL).content.decode()
    assert "Brook Primary School: 1 children added, 1 changed." in page
    events = CaseAuditEvent.objects.filter(detail="go-live import")
    assert sorted((e.action, e.child_id) for e in events) == sorted([("change", ada.pk), ("create", ben.pk)])
    # The preview is used up: confirming again imports nothing more.
    again = client.post(URL, {"action": "confirm", "digest": "x"}, follow=True)
    assert "There is no preview to confirm" in again.content.decode()
    assert Child.objects.count() == 2


def test_a_record_changed_since_the_preview_is_shown_again_and_nothing_is_saved(client, personas, ada):
    sign_in(client, personas.dt)
    text = HEADER + f"Ada,Lovelace,2016-05-01,6,2025-09-03,,,{make_upn(901)},\n"
    preview = _upload(client, personas.brook, text)
    Child.objects.filter(pk=ada.pk).update(year_group="4")  # someone else edits the record meanwhile
    response = _confirm(client, preview)
    assert response.status_code == 200
    assert "changed since your preview. Check this new preview and confirm again." in response.content.decode()
    assert response.context["plan"].changed[0].changes == ["year group Year 4 → Year 6"]
    ada.refresh_from_db()
    assert ada.year_group == "4"
    # Confirming the new preview applies it.
    assert _confirm(client, response).status_code == 302
    ada.refresh_from_db()
    assert ada.year_group == "6"


def test_a_stale_digest_from_another_tab_is_shown_again(client, personas, ada):
    sign_in(client, personas.dt)
    text = HEADER + f"Ada,Lovelace,2016-05-01,6,2025-09-03,,,{make_upn(901)},\n"
    _upload(client, personas.brook, text)
    response = client.post(URL, {"action": "confirm", "digest": "an older preview"})
    assert "changed since your preview" in response.content.decode()
    ada.refresh_from_db()
    assert ada.year_group == "5"


def test_a_line_for_another_school_is_refused_and_nothing_is_imported(client, personas):
    sign_in(client, personas.dt)  # brook and meadow, not castle
    text = HEADER + (
        f"Ben,Brook,2017-02-03,4,2026-11-16,2026-11-16,,{make_upn(902)},brook\n"
        f"Cy,Coe,2016-05-01,5,2025-09-03,2025-06-01,,{make_upn(903)},Castle Academy\n"
        f"Di,Dee,2016-05-01,5,2025-09-03,2025-06-01,,{make_upn(904)},nowhere\n"
    )
    response = _upload(client, personas.brook, text)
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert (
        "Line 3: Castle Academy is not one of your schools: you may import only your own schools&#x27; children."
        in page
    )
    assert "Line 4: no school is called &#x27;nowhere&#x27;." in page
    assert not Child.objects.exists()
    # Nor may the form's school be another's.
    response = _upload(
        client, personas.castle, HEADER + f"Cy,Coe,2016-05-01,5,2025-09-03,2025-06-01,,{make_upn(903)},\n"
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Child.objects.exists()


def test_errors_name_their_lines_and_a_bad_file_is_a_plain_message(client, personas):
    sign_in(client, personas.dt)
    text = HEADER + "Ben,Brook,03/02/2017,4,2026-11-16,,,,\n"
    page = _upload(client, personas.brook, text).content.decode()
    assert "Line 2: date of birth &#x27;03/02/2017&#x27; is not a date: write it as 2026-09-03." in page
    page = _upload(client, personas.brook, "name,dob\nAda,2016\n").content.decode()
    assert "Line 1: the file needs the columns" in page
    page = _upload(client, personas.brook, b"\xff\xfe\x00garbage").content.decode()
    assert "The file is not a UTF-8 CSV" in page


@pytest.mark.parametrize(
    "text",
    [
        HEADER + f"Ben,Br\x00ook,2017-02-03,4,2026-11-16,,,{make_upn(902)},\n",
        HEADER + "Ben," + "x" * 200_000 + ",2017-02-03,4,2026-11-16,,,,\n",
        HEADER + "Ben,Brook,9999999-02-03,4,2026-11-16,,,,\n",
        HEADER + "Ben,Brook,2017-02-03,4,2026-11-16,,,,\x00\n",
        "\x00" * 10,
        "",
    ],
    ids=["nul-in-a-name", "huge-cell", "huge-year", "nul-school", "only-nul", "empty"],
)
def test_nul_and_huge_input_is_a_plain_message_never_a_500(client, personas, text):
    sign_in(client, personas.dt)
    response = _upload(client, personas.brook, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported" in page or "The submitted file is empty" in page
    assert not Child.objects.exists()


def test_a_file_over_2_mb_is_refused_with_a_message(client, personas):
    sign_in(client, personas.dt)
    response = _upload(client, personas.brook, HEADER + "x" * (2 * 1024 * 1024 + 1))
    assert "The file is larger than 2 MB" in response.content.decode()


@pytest.mark.parametrize("persona", ["staff", "governor", "head", "admin", "dpo", "nobody"])
def test_only_a_designated_teacher_may_open_or_post_the_import(client, personas, persona, ada):
    sign_in(client, getattr(personas, persona))
    assert client.get(URL).status_code in (302, 403, 404)
    text = HEADER + f"Ben,Brook,2017-02-03,4,2026-11-16,2026-11-16,,{make_upn(902)},\n"
    response = _upload(client, personas.brook, text)
    assert response.status_code in (302, 403, 404)
    assert response.status_code != 302 or "/import-children/" not in response.get("Location", "")
    assert Child.objects.count() == 1


def test_the_menu_offers_the_import_to_designated_teachers_only(client, personas):
    sign_in(client, personas.dt)
    assert URL in client.get("/admin/").content.decode()
    sign_in(client, personas.head)
    assert URL not in client.get("/admin/").content.decode()
