"""The evidence register for earlier versions: who acknowledged THAT version, with the same filters and exports."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import sign_in
from policy.models import ReadReceipt
from policy.rendering import revision_body_html, text_sha256
from policy.tests.factories import make_policy, publish_change
from training.tests.briefing_helpers import acknowledge, complete
from trust.enums import Role
from trust.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

V1_AT = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)  # a Monday
V1_READ = dt.datetime(2026, 10, 7, 10, 0, tzinfo=dt.UTC)
V2_AT = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
V2_READ = dt.datetime(2026, 11, 4, 10, 30, tzinfo=dt.UTC)
CORRECTED_AT = dt.datetime(2026, 11, 5, 9, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)  # both versions' 10 working days have run out

NEW_WORDS = [{"type": "paragraph", "value": "<p>The PEP is now reviewed every half term.</p>"}]


@pytest.fixture
def policy(personas):
    """The governor acknowledged version 1 only; the staff member version 2 only."""
    with time_machine.travel(V1_AT, tick=False):
        page = make_policy("Children in Care policy")
    with time_machine.travel(V1_READ, tick=False):
        acknowledge(personas.governor, page)
    with time_machine.travel(V2_AT, tick=False):
        page, _ = publish_change(page, material=True, summary="Half-termly reviews.", body=NEW_WORDS)
    with time_machine.travel(V2_READ, tick=False):
        acknowledge(personas.staff, page)
    with time_machine.travel(CORRECTED_AT, tick=False):
        page, _ = publish_change(page, material=False, summary="A typo.")  # keeps version 2
    return page


def address(page, number, suffix="", query=""):
    return f"/briefing/register/policy-{page.pk}-v{number}/{suffix}" + (f"?{query}" if query else "")


def get(client, person, url):
    with time_machine.travel(LATE, tick=False):
        sign_in(client, person)
        return client.get(url)


def rows_by_email(page, number):
    from training.register import build_register, find_requirement

    with time_machine.travel(LATE, tick=False):
        return {row.email: row for row in build_register(find_requirement(f"policy-{page.pk}-v{number}")).rows}


def test_the_index_lists_each_earlier_version_once_under_the_current_one(client, personas, policy):
    html = get(client, personas.head, "/briefing/register/").content.decode()
    assert f'href="{address(policy, 2)}"' in html and "Version 2 (current)" in html
    assert f'href="{address(policy, 1)}"' in html
    assert "published 5 October 2026, replaced 2 November 2026" in html
    assert html.count(address(policy, 1)) == 1  # the minor correction is no version of its own


def test_acknowledged_version_1_but_not_version_2(personas, policy):
    v1, v2 = rows_by_email(policy, 1), rows_by_email(policy, 2)
    receipt = ReadReceipt.objects.get(user=personas.governor, page=policy)
    assert (v1[personas.governor.email].status, v1[personas.governor.email].receipt_ref) == (
        "online",
        f"R-{receipt.pk}",
    )
    assert v1[personas.governor.email].at == V1_READ
    assert v2[personas.governor.email].status == "outstanding" and v2[personas.governor.email].receipt_ref == ""
    assert v1[personas.staff.email].status == "outstanding"
    assert v2[personas.staff.email].status == "online"


def test_version_1s_page_shows_who_acknowledged_that_version_and_its_own_hash(client, personas, policy):
    html = get(client, personas.head, address(policy, 1)).content.decode()
    receipt = ReadReceipt.objects.get(user=personas.governor, page=policy)
    assert f"R-{receipt.pk}" in html and "Version 1." in html
    assert "replaced by a later version on 2 November 2026" in html
    v1_hash = text_sha256(revision_body_html(receipt.revision_id))
    assert receipt.text_sha256 == v1_hash and f"<code>{v1_hash}</code>" in html
    v2_html = get(client, personas.head, address(policy, 2)).content.decode()
    assert f"<code>{v1_hash}</code>" not in v2_html and f"R-{receipt.pk}" not in v2_html


def test_filters_apply_to_an_earlier_version(client, personas, policy):
    html = get(client, personas.head, address(policy, 1, query="status=online")).content.decode()
    assert personas.governor.get_full_name() in html and personas.staff.get_full_name() not in html
    html = get(client, personas.head, address(policy, 1, query="school=castle")).content.decode()
    assert personas.dt_castle.get_full_name() in html and personas.governor.get_full_name() not in html
    assert get(client, personas.dt, address(policy, 1, query="school=castle")).status_code == 404


def test_someone_who_joined_after_version_2_is_not_in_version_1s_register(personas, policy):
    joiner = UserFactory(email="joiner@symphony.example", first_name="Jo", last_name="Joiner")
    MembershipFactory(user=joiner, school=personas.brook, role=Role.STAFF, started_on=dt.date(2026, 11, 10))
    assert joiner.email not in rows_by_email(policy, 1)
    assert joiner.email in rows_by_email(policy, 2)


def test_the_csv_of_version_1_names_the_version_its_hash_and_when_it_was_replaced(client, personas, policy):
    response = get(client, personas.head, address(policy, 1, "export/csv/"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    receipt = ReadReceipt.objects.get(user=personas.governor, page=policy)
    assert ["Evidence register", "Policy: Children in Care policy", "Version 1"] in rows
    assert ["Text SHA-256 of this version", receipt.text_sha256] in rows
    assert ["Replaced by a later version", "2026-11-02 09:00"] in rows
    people = {r[1]: r for r in rows if len(r) > 4}
    assert people[personas.governor.email][4] == "Acknowledged online"
    assert people[personas.governor.email][8] == f"R-{receipt.pk}"
    assert people[personas.staff.email][4] == "Outstanding"
    assert f"policy-{policy.pk}-v1" in response["Content-Disposition"]


def test_the_xlsx_and_pdf_of_version_1_carry_the_version(client, personas, policy):
    from openpyxl import load_workbook

    pypdf = pytest.importorskip("pypdf")
    workbook = load_workbook(io.BytesIO(get(client, personas.head, address(policy, 1, "export/xlsx/")).content))
    about = list(workbook["About"].iter_rows(values_only=True))
    assert about[1][2] == "Version 1"
    register = {row[1]: row[4] for row in workbook["Register"].iter_rows(values_only=True)}
    assert register[personas.governor.email] == "Acknowledged online"
    pdf = get(client, personas.head, address(policy, 1, "export/pdf/")).content
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Version 1" in text and "replaced by a later version on 2 November 2026" in text


def test_a_governor_sees_an_earlier_version_as_counts_only(client, personas, policy):
    html = get(client, personas.governor, address(policy, 1)).content.decode()
    assert "You see this register as numbers only." in html and personas.staff.email not in html


def test_staff_are_refused_an_earlier_version(client, personas, policy):
    assert get(client, personas.staff, address(policy, 1)).status_code == 403


@pytest.mark.parametrize(
    "key",
    ["v3", "v0", "v2x", "v\u00b9", "v1\x00", "v" + "9" * 5000],
    ids=["later", "zero", "trailing", "superscript", "nul", "huge"],
)
def test_an_unknown_version_key_is_404(client, personas, policy, key):
    assert get(client, personas.head, f"/briefing/register/policy-{policy.pk}-{key}/").status_code == 404
    assert get(client, personas.head, f"/briefing/register/policy-{policy.pk}-{key}/export/csv/").status_code == 404


def test_a_policys_version_is_not_found_under_training(client, personas, policy):
    assert get(client, personas.head, f"/briefing/register/training-{policy.pk}-v1/").status_code == 404


def test_a_training_modules_earlier_version_shows_who_completed_it(client, personas, make_module):
    from training.tests.test_versions import publish_change as publish_module_change

    with time_machine.travel(V1_AT, tick=False):
        module = make_module("Safeguarding essentials", roles=(Role.STAFF,))
    with time_machine.travel(V1_READ, tick=False):
        completion = complete(personas.staff, module).receipt
    with time_machine.travel(V2_AT, tick=False):
        publish_module_change(module, material=True)
    html = get(client, personas.head, f"/briefing/register/training-{module.pk}-v1/").content.decode()
    assert f"T-{completion.pk}" in html and "Version 1." in html
    html = get(client, personas.head, f"/briefing/register/training-{module.pk}-v2/").content.decode()
    assert f"T-{completion.pk}" not in html and "Outstanding" in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_an_earlier_versions_register_takes_the_same_queries_for_few_and_many(client, personas, policy):
    url = address(policy, 1)
    get(client, personas.head, url)
    with time_machine.travel(LATE, tick=False):
        few = _queries(client, url)
    for n in range(30):
        user = UserFactory(email=f"reg{n}@symphony.example")
        MembershipFactory(user=user, school=personas.meadow, role=Role.STAFF, started_on=dt.date(2026, 9, 1))
        if n % 2:
            with time_machine.travel(V1_READ, tick=False):
                ReadReceipt.objects.create(
                    user=user,
                    page_id=policy.pk,
                    revision_id=ReadReceipt.objects.get(user=personas.governor).revision_id,
                    version_id=ReadReceipt.objects.get(user=personas.governor).version_id,
                    version_number=1,
                    text_sha256="0" * 64,
                )
    with time_machine.travel(LATE, tick=False):
        assert _queries(client, url) == few
        html = client.get(url).content.decode()
    assert "reg29@symphony.example" in html


def test_the_index_takes_the_same_queries_for_few_and_many_versions(client, personas, policy):
    get(client, personas.head, "/briefing/register/")
    with time_machine.travel(LATE, tick=False):
        few = _queries(client, "/briefing/register/")
    page = policy
    for n in range(3):
        with time_machine.travel(LATE + dt.timedelta(days=n), tick=False):
            page, _ = publish_change(page, material=True, summary=f"Change {n}.")
    with time_machine.travel(LATE + dt.timedelta(days=5), tick=False):
        make_policy("Brook visitors policy")
        sign_in(client, personas.head)
        client.get("/briefing/register/")
        assert _queries(client, "/briefing/register/") == few
        html = client.get("/briefing/register/").content.decode()
    assert all(address(policy, n) in html for n in (1, 2, 3, 4)) and "Version 5 (current)" in html
