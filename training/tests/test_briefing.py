import csv
import io

import pytest
from openpyxl import load_workbook

from conftest import sign_in
from policy.tests.factories import make_policy, publish_change
from training.briefing import build_report
from training.tests.briefing_helpers import acknowledge, complete, staff_module
from trust.enums import Role
from trust.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORT_QUERIES = 18


@pytest.fixture
def world(personas):
    """Brook: the staff member is briefed; the designated teacher (also staff) and the governor are not."""
    policy = make_policy("Children in Care policy")
    module = staff_module("Safeguarding essentials")
    governor_module = staff_module("Governor monitoring", roles=(Role.GOVERNOR,))
    acknowledge(personas.staff, policy)
    complete(personas.staff, module)
    acknowledge(personas.governor, policy)
    return {"policy": policy, "module": module, "governor_module": governor_module}


def entry_for(report, school):
    return next(e for e in report.schools if e.school == school)


def test_a_person_is_briefed_only_when_every_policy_version_and_training_module_is_done(personas, world):
    brook = entry_for(build_report(), personas.brook)
    staff, governors = brook.by_role
    assert (staff.label, staff.total, staff.done, staff.percent) == ("Staff", 2, 1, 50)
    assert (governors.label, governors.total, governors.done, governors.percent) == ("Governors", 1, 0, 0)
    assert (brook.overall.total, brook.overall.done) == (3, 1)
    items = {i.requirement.title: (i.figure.total, i.figure.done) for i in brook.by_item}
    assert items == {
        "Children in Care policy": (3, 2),
        "Safeguarding essentials": (2, 1),
        "Governor monitoring": (1, 0),
    }


def test_a_material_change_makes_people_outstanding_again_and_a_minor_one_does_not(personas, world):
    publish_change(world["policy"], material=False, summary="Typo.")
    assert entry_for(build_report(), personas.brook).by_role[0].done == 1
    publish_change(world["policy"], material=True, summary="New duty.")
    brook = entry_for(build_report(), personas.brook)
    assert brook.by_role[0].done == 0
    policy_item = next(i for i in brook.by_item if i.requirement.kind == "Policy")
    assert policy_item.requirement.version == "Version 2" and policy_item.figure.done == 0


def test_leavers_and_deactivated_accounts_are_not_counted(personas, world):
    leaver = UserFactory(email="leaver@symphony.example")
    MembershipFactory(user=leaver, school=personas.brook, ended_on="2026-01-01")
    gone = UserFactory(email="gone@symphony.example", is_active=False)
    MembershipFactory(user=gone, school=personas.brook)
    assert entry_for(build_report(), personas.brook).by_role[0].total == 2


def test_governor_sees_their_own_school_as_numbers_and_no_names(client, personas, world):
    sign_in(client, personas.governor)
    overview = client.get("/briefing/")
    html = overview.content.decode()
    assert overview.status_code == 200
    assert "Brook Primary School" in html and "Castle Academy" not in html and "Meadow" not in html
    detail = client.get("/briefing/brook/").content.decode()
    assert "50%" in detail
    assert "Who is outstanding" not in detail
    assert personas.dt.get_full_name() not in detail and personas.dt.email not in detail
    assert client.get("/briefing/castle/").status_code == 404
    export = client.get("/briefing/brook/export/csv/").content.decode()
    assert personas.dt.email not in export and "Who is outstanding" not in export


def test_executive_head_sees_every_school_and_who_is_outstanding(client, personas, world):
    sign_in(client, personas.head)
    html = client.get("/briefing/").content.decode()
    assert all(name in html for name in ("Brook Primary School", "Meadow Primary School", "Castle Academy"))
    detail = client.get("/briefing/brook/").content.decode()
    assert "Who is outstanding" in detail
    assert personas.dt.get_full_name() in detail and personas.governor.get_full_name() in detail
    assert personas.staff.email not in detail  # briefed: not listed
    assert "Governor monitoring" in detail


def test_designated_teacher_sees_who_is_outstanding_in_their_own_schools_only(client, personas, world):
    sign_in(client, personas.dt)
    assert personas.governor.get_full_name() in client.get("/briefing/brook/").content.decode()
    assert client.get("/briefing/meadow/").status_code == 200
    assert client.get("/briefing/castle/").status_code == 404


def test_trust_administrator_sees_every_school_as_numbers_only(client, personas, world):
    sign_in(client, personas.admin)
    assert "Castle Academy" in client.get("/briefing/").content.decode()
    detail = client.get("/briefing/brook/").content.decode()
    assert "Who is outstanding" not in detail and personas.governor.email not in detail


@pytest.mark.parametrize("who", ["staff", "nobody"])
def test_staff_and_people_with_no_role_are_refused(client, personas, world, who):
    sign_in(client, getattr(personas, who))
    assert client.get("/briefing/").status_code == 403
    assert client.get("/briefing/brook/").status_code == 403
    assert client.get("/briefing/export/csv/").status_code == 403


def test_csv_export_has_the_figures_and_for_the_head_the_names(client, personas, world):
    sign_in(client, personas.head)
    response = client.get("/briefing/brook/export/csv/")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Brook Primary School", "Staff", "2", "1", "1", "50"] in rows
    assert ["Brook Primary School", "Training", "Safeguarding essentials", "Version 1", "2", "1", "1", "50"] in rows
    names = [row for row in rows if len(row) == 5 and row[2] == personas.governor.email]
    assert names and "Governor monitoring" in names[0][4]


def test_xlsx_export_has_one_sheet_per_table(client, personas, world):
    sign_in(client, personas.head)
    response = client.get("/briefing/export/xlsx/")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["By role", "By policy version and module"]
    rows = [list(r) for r in workbook["By role"].iter_rows(values_only=True)]
    assert rows[0] == ["School", "Who", "People", "Briefed", "Outstanding", "Briefed %"]
    assert ["Brook Primary School", "Governors", 1, 0, 1, 0] in rows


def test_an_unknown_export_format_is_not_found(client, personas, world):
    sign_in(client, personas.head)
    assert client.get("/briefing/export/pdf/").status_code == 404


def test_spreadsheet_formulas_in_titles_are_neutralised(client, personas, world):
    staff_module('=HYPERLINK("http://evil.example")')
    sign_in(client, personas.head)
    text = client.get("/briefing/export/csv/").content.decode()
    assert "'=HYPERLINK" in text


def test_governor_sees_casework_figures_but_never_a_childs_identity(client, personas, world):
    from datetime import date

    from casework.models import Child

    Child.objects.create(
        school=personas.brook,
        legal_first_name="Quillon",
        legal_last_name="Brightwater",
        date_of_birth=date(2016, 5, 1),
        year_group="4",
        started_on=date(2025, 9, 3),
        entered_care_on=date(2025, 6, 1),
    )
    sign_in(client, personas.governor)
    html = client.get("/briefing/brook/").content.decode()
    assert "Children in care on roll</th><td>1</td>" in html
    assert "Quillon" not in html and "Brightwater" not in html and "2016" not in html


def _add_staff(school, count, start):
    for n in range(count):
        MembershipFactory(user=UserFactory(email=f"bulk{start + n}@symphony.example"), school=school)


def test_the_report_takes_the_same_number_of_queries_for_few_and_many_staff(
    client, personas, world, django_assert_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, personas.head)
    _add_staff(personas.brook, 3, 0)
    client.get("/briefing/brook/")  # the first page of a session also saves it
    cache.clear()  # both rounds build the reports (training/test_briefing_cache.py covers the cached round)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/briefing/").status_code == 200
        assert client.get("/briefing/brook/").status_code == 200
    _add_staff(personas.brook, 40, 100)
    _add_staff(personas.castle, 40, 200)
    cache.clear()
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/briefing/").status_code == 200
        assert client.get("/briefing/brook/").status_code == 200


def test_build_report_query_count_is_pinned(personas, world, django_assert_num_queries):
    build_report(names_for=frozenset({personas.brook.pk}))  # warm caches (site root paths)
    # The requirements (pages, versions, audiences), the done masks' slots, the schools, then a savepoint, the flag table
    # (create, analyze, the counts, the people with several memberships, the growth pass, the
    # outstanding names, drop) and its release.
    with django_assert_num_queries(REPORT_QUERIES):
        build_report(names_for=frozenset({personas.brook.pk}))
    _add_staff(personas.meadow, 60, 300)
    with django_assert_num_queries(REPORT_QUERIES):
        report = build_report(names_for=frozenset({personas.brook.pk}))
    assert entry_for(report, personas.meadow).by_role[0].total == 60


def test_people_with_several_memberships_count_once_in_each_figure_in_the_same_queries(
    personas, world, django_assert_num_queries
):
    """Most people are one row of the report's counts; those holding several counted memberships are read
    apart and counted once in each figure (a school, a role, the trust), however many there are."""
    names_for = frozenset({personas.brook.pk})
    build_report(names_for=names_for)  # warm caches (site root paths)
    before = build_report(names_for=names_for)
    for n in range(6):  # staff at Brook and Meadow, and governor at Brook: briefed at none of it
        person = UserFactory(email=f"several{n}@symphony.example")
        MembershipFactory(user=person, school=personas.brook, role=Role.STAFF)
        MembershipFactory(user=person, school=personas.meadow, role=Role.STAFF)
        MembershipFactory(user=person, school=personas.brook, role=Role.GOVERNOR)
    with django_assert_num_queries(REPORT_QUERIES):
        after = build_report(names_for=names_for)

    def grown(entry, old):
        return (
            entry.overall.total - old.overall.total,
            [f.total - o.total for f, o in zip(entry.by_role, old.by_role, strict=True)],
            {i.requirement.title: i.figure.total - o.figure.total for i, o in zip(entry.by_item, old.by_item, strict=True)},
        )

    everything = {"Children in Care policy": 6, "Safeguarding essentials": 6, "Governor monitoring": 6}
    brook, meadow = entry_for(after, personas.brook), entry_for(after, personas.meadow)
    assert grown(brook, entry_for(before, personas.brook)) == (6, [6, 6], everything)
    # At Meadow they are staff only, but what applies to a person applies through any of their roles.
    assert grown(meadow, entry_for(before, personas.meadow)) == (6, [6, 0], everything)
    assert grown(after.totals, before.totals) == (6, [6, 6], everything)
    assert after.totals.overall.done == before.totals.overall.done
    several = [p for p in brook.outstanding_people if p.email.startswith("several")]
    assert len(several) == 6 and all(sorted(p.roles) == ["Governors", "Staff"] for p in several)


def test_is_briefed_answers_for_one_person(personas, world):
    from training.briefing import is_briefed

    assert is_briefed(personas.staff)
    assert not is_briefed(personas.governor)
    assert not is_briefed(personas.dt)


def test_the_dashboard_summary_agrees_with_the_full_report(personas, world, django_assert_max_num_queries):
    from training.briefing import build_summary

    build_summary()  # the first build gives the pages their slots in the done masks (test_briefing_done.py)
    with django_assert_max_num_queries(16):  # the requirements, the slots, then the flag table: analyze, the counts
        summary = build_summary()
    totals = build_report().totals
    assert [(f.total, f.done) for f in summary.by_role] == [(f.total, f.done) for f in totals.by_role]
    assert (summary.overall.total, summary.overall.done) == (totals.overall.total, totals.overall.done)
