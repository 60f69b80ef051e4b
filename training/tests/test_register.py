"""The evidence register: who acknowledged which version, when, how and with which receipt; as each persona."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import sign_in
from policy.acknowledgements import record_on_paper
from policy.models import ReadReceipt
from policy.rendering import revision_body_html, text_sha256
from policy.tests.factories import make_policy
from policy.versions import current_version
from training.tests.briefing_helpers import acknowledge
from trust.enums import Role
from trust.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLISHED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # a Monday
ONLINE_AT = dt.datetime(2026, 11, 4, 10, 30, tzinfo=dt.UTC)
EARLY = dt.datetime(2026, 11, 6, 12, 0, tzinfo=dt.UTC)  # within the 10 working days (due 16 November)
LATE = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)  # after them


@pytest.fixture
def world(personas):
    with time_machine.travel(PUBLISHED, tick=False):
        everyone = make_policy("Children in Care policy")
        brook_only = make_policy("Brook visitors policy", applies_to_all_schools=False)
        brook_only.schools.set([personas.brook])
        brook_only.save()
    with time_machine.travel(ONLINE_AT, tick=False):
        acknowledge(personas.governor, everyone)
        acknowledge(personas.governor, brook_only)
        paper = record_on_paper(
            personas.staff,
            everyone,
            current_version(everyone),
            recorded_by=personas.admin,
            signed_on=dt.date(2026, 11, 3),
            reason="No computer access in the kitchen.",
        )
    return {"everyone": everyone, "brook_only": brook_only, "paper": paper}


def key(page):
    return f"policy-{page.pk}-v1"


def url(page, suffix="", **query):
    from urllib.parse import urlencode

    return f"/briefing/register/{key(page)}/{suffix}" + (f"?{urlencode(query)}" if query else "")


def get(client, person, address, when=LATE):
    with time_machine.travel(when, tick=False):
        sign_in(client, person)
        return client.get(address)


def test_the_head_sees_each_person_with_their_status_and_receipt(client, personas, world):
    html = get(client, personas.head, url(world["everyone"])).content.decode()
    online = ReadReceipt.objects.get(user=personas.governor, page=world["everyone"])
    assert f"R-{online.pk}" in html and online.text_sha256 in html
    assert f"R-{world['paper'].pk}" in html and "Acknowledged on paper" in html
    assert "No computer access in the kitchen." in html and personas.admin.get_full_name() in html
    assert "signed 3 November 2026" in html
    assert personas.dt_castle.get_full_name() in html and "Outstanding" in html
    version_hash = text_sha256(revision_body_html(current_version(world["everyone"]).revision_id))
    assert version_hash == online.text_sha256 and f"<code>{version_hash}</code>" in html


def test_rows_match_the_receipts_for_a_one_school_policy(client, personas, world):
    from training.register import build_register, find_requirement

    with time_machine.travel(LATE, tick=False):
        register = build_register(find_requirement(key(world["brook_only"])))
    by_email = {row.email: row for row in register.rows}
    assert personas.dt_castle.email not in by_email  # castle is not in its audience
    assert set(by_email) == {personas.staff.email, personas.governor.email, personas.dt.email}
    receipt = ReadReceipt.objects.get(user=personas.governor, page=world["brook_only"])
    row = by_email[personas.governor.email]
    assert (row.status, row.receipt_ref, row.receipt_hash, row.at) == (
        "online",
        f"R-{receipt.pk}",
        receipt.text_sha256,
        ONLINE_AT,
    )
    assert by_email[personas.staff.email].status == "outstanding"
    assert register.counts == {"online": 1, "paper": 0, "outstanding": 2, "not-yet-due": 0}


def test_before_the_due_date_nobody_is_outstanding_and_joiners_count_from_joining(personas, world):
    from training.register import build_register, find_requirement

    with time_machine.travel(EARLY, tick=False):
        early = build_register(find_requirement(key(world["everyone"])))
    assert early.counts["outstanding"] == 0 and early.counts["not-yet-due"] == 2  # the two designated teachers
    joiner = UserFactory(email="joiner@symphony.example", first_name="Jo", last_name="Joiner")
    MembershipFactory(user=joiner, school=personas.castle, role=Role.STAFF, started_on=dt.date(2026, 11, 20))
    with time_machine.travel(LATE, tick=False):
        late = build_register(find_requirement(key(world["everyone"])))
    rows = {row.email: row for row in late.rows}
    assert rows[personas.dt.email].status == "outstanding"
    assert rows[personas.dt.email].due_on == dt.date(2026, 11, 16)
    assert (rows[joiner.email].status, rows[joiner.email].due_on) == ("not-yet-due", dt.date(2026, 12, 4))


def test_filters_by_school_role_and_status(client, personas, world):
    html = get(client, personas.head, url(world["everyone"], status="paper")).content.decode()
    assert personas.staff.get_full_name() in html and personas.governor.get_full_name() not in html
    html = get(client, personas.head, url(world["everyone"], school="castle")).content.decode()
    assert personas.dt_castle.get_full_name() in html and personas.governor.get_full_name() not in html
    html = get(client, personas.head, url(world["everyone"], role=Role.GOVERNOR)).content.decode()
    assert personas.governor.get_full_name() in html and personas.staff.get_full_name() not in html


def test_a_governor_sees_their_schools_counts_and_no_names(client, personas, world):
    response = get(client, personas.governor, url(world["everyone"]))
    html = response.content.decode()
    assert response.status_code == 200 and "You see this register as numbers only." in html
    for person in (personas.staff, personas.dt, personas.dt_castle):
        assert person.get_full_name() not in html and person.email not in html
    assert get(client, personas.governor, url(world["everyone"], school="castle")).status_code == 404
    exported = get(client, personas.governor, url(world["everyone"], "export/csv/")).content.decode()
    assert personas.staff.email not in exported and "Acknowledged on paper,1" in exported


def test_a_designated_teacher_sees_names_for_their_schools_only(client, personas, world):
    html = get(client, personas.dt, url(world["everyone"])).content.decode()
    assert personas.staff.get_full_name() in html and personas.dt_castle.get_full_name() not in html
    assert get(client, personas.dt, url(world["everyone"], school="castle")).status_code == 404


@pytest.mark.parametrize("name", ["staff", "nobody"])
def test_staff_and_people_without_a_role_are_refused(client, personas, world, name):
    assert get(client, getattr(personas, name), url(world["everyone"])).status_code == 403
    assert get(client, getattr(personas, name), url(world["everyone"], "export/csv/")).status_code == 403


@pytest.mark.parametrize(
    "query",
    [{"school": "nowhere"}, {"school": "brook\x00"}, {"school": "x" * 5000}, {"school": "castle%"}],
    ids=["unknown", "nul", "huge", "wildcard"],
)
def test_a_school_filter_that_names_no_school_of_theirs_is_404_never_500(client, personas, world, query):
    assert get(client, personas.dt, url(world["everyone"], **query)).status_code == 404
    assert get(client, personas.dt, url(world["everyone"], "export/csv/", **query)).status_code == 404


def test_an_unknown_role_status_or_parameter_is_ignored(client, personas, world):
    odd = {"role": "superuser\x00", "status": "x" * 5000, "user__password__startswith": "a"}
    html = get(client, personas.dt, url(world["everyone"], **odd)).content.decode()
    assert personas.staff.get_full_name() in html and personas.governor.get_full_name() in html


def test_an_unknown_version_or_format_is_404(client, personas, world):
    assert get(client, personas.head, "/briefing/register/policy-999-v1/").status_code == 404
    assert get(client, personas.head, url(world["everyone"], "export/doc/")).status_code == 404


def test_the_csv_export_names_the_trust_the_version_hash_and_the_date(client, personas, world):
    response = get(client, personas.head, url(world["everyone"], "export/csv/"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Symphony Learning Trust"]
    version_hash = text_sha256(revision_body_html(current_version(world["everyone"]).revision_id))
    assert ["Text SHA-256 of this version", version_hash] in rows
    assert ["Made", "2026-11-25 12:00"] in rows
    header = rows.index(next(r for r in rows if r[:1] == ["Name"]))
    people = {r[1]: r for r in rows[header + 1 :]}
    paper = people[personas.staff.email]
    assert paper[4] == "Acknowledged on paper" and paper[6] == "2026-11-03" and paper[8] == f"R-{world['paper'].pk}"
    assert paper[10] == personas.admin.get_full_name() and paper[11] == "No computer access in the kitchen."
    assert people[personas.dt_castle.email][4] == "Outstanding"


def test_the_xlsx_export_opens_with_the_register(client, personas, world):
    from openpyxl import load_workbook

    response = get(client, personas.head, url(world["everyone"], "export/xlsx/"))
    workbook = load_workbook(io.BytesIO(response.content))
    about = [row for row in workbook["About"].iter_rows(values_only=True)]
    assert about[0][0] == "Symphony Learning Trust"
    register = [row for row in workbook["Register"].iter_rows(values_only=True)]
    assert register[0][0] == "Name"
    emails = {row[1]: row[4] for row in register[1:]}
    assert emails[personas.governor.email] == "Acknowledged online"


def test_the_pdf_export_prints_the_trust_version_hash_and_people(client, personas, world):
    pypdf = pytest.importorskip("pypdf")  # requirements-dev.txt

    response = get(client, personas.head, url(world["everyone"], "export/pdf/"))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Symphony Learning Trust" in flat and "Children in Care policy" in flat
    version_hash = text_sha256(revision_body_html(current_version(world["everyone"]).revision_id))
    assert version_hash[:16] in flat.replace(" ", "")
    assert "25 November 2026" in flat and personas.dt_castle.get_full_name() in flat


def test_each_person_sees_and_prints_their_own_history(client, personas, world):
    html = get(client, personas.governor, "/briefing/register/mine/").content.decode()
    assert "Children in Care policy" in html and "Brook visitors policy" in html and "Online" in html
    html = get(client, personas.staff, "/briefing/register/mine/").content.decode()
    assert "On paper, signed 3 November 2026" in html and "Brook visitors policy" not in html


def test_the_register_takes_the_same_queries_for_few_and_many(client, personas, world, django_assert_num_queries):
    address = url(world["everyone"])
    get(client, personas.head, address)
    with time_machine.travel(LATE, tick=False):
        with CaptureQueriesContext(connection) as few:
            client.get(address)
        count = len(few.captured_queries)
        for n in range(30):
            user = UserFactory(email=f"reg{n}@symphony.example")
            MembershipFactory(user=user, school=personas.meadow, role=Role.STAFF, started_on=dt.date(2026, 9, 1))
            if n % 2:
                acknowledge(user, world["everyone"])
        with django_assert_num_queries(count):
            html = client.get(address).content.decode()
    assert "reg29@symphony.example" in html
