import pytest
from django.core.management import call_command

from training.briefing import build_report
from trust.models import School

pytestmark = pytest.mark.django_db


def test_generate_bench_data_makes_a_trust_the_briefing_report_can_count(personas, django_assert_max_num_queries):
    call_command(
        "generate_bench_data",
        "--schools=3",
        "--staff-per-school=10",
        "--policies=2",
        "--versions=2",
        "--children-per-school=2",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    bench = School.objects.filter(slug__startswith="bench-")
    assert bench.count() == 3
    report = build_report(set(bench.values_list("pk", flat=True)))
    staff = report.totals.by_role[0]
    assert staff.total == 3 * 11  # ten staff plus the designated teacher, in each school
    policy_items = [i for i in report.totals.by_item if i.requirement.kind == "Policy"]
    assert len(policy_items) == 2 and all(i.requirement.version == "Version 2" for i in policy_items)
    assert 0 < policy_items[0].figure.done < policy_items[0].figure.total


def _generate(schools, staff, policies):
    call_command(
        "generate_bench_data",
        f"--schools={schools}",
        f"--staff-per-school={staff}",
        f"--policies={policies}",
        "--versions=2",
        "--children-per-school=2",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )


def test_the_whole_trusts_briefing_takes_the_same_queries_on_generated_trusts_of_two_sizes(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import sign_in
    from training.briefing_cache import bump

    def briefing_queries():
        client.get("/briefing/")  # Wagtail's site root and the like are cached, as on any busy server
        bump()  # but the report itself is built afresh
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/briefing/")
        assert response.status_code == 200
        assert any("CREATE TEMPORARY TABLE briefing_flags" in q["sql"] for q in captured.captured_queries)
        return len(captured.captured_queries), response.context["report"].totals.overall.total

    _generate(schools=2, staff=5, policies=2)
    sign_in(client, personas.head)
    few, small_total = briefing_queries()
    _generate(schools=6, staff=20, policies=0)
    many, large_total = briefing_queries()
    assert large_total >= small_total + 6 * 20
    assert many == few
