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
