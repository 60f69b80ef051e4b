"""How acknowledgement of each current policy version grew, week by week since publication."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import sign_in
from policy.acknowledgements import create_receipt
from policy.models import PolicyVersion
from policy.tests.factories import make_policy
from policy.versions import current_version
from training.briefing import build_report
from training.briefing_growth import MAX_POINTS, week_numbers
from trust.enums import Role
from trust.tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def _published_days_ago(policy, days):
    version = current_version(policy)
    published = timezone.now() - timedelta(days=days)
    PolicyVersion.objects.filter(pk=version.pk).update(published_at=published)
    version.published_at = published
    return version


def _acknowledge_at(user, policy, version, when):
    return create_receipt(user, policy, version, version.revision_id, acknowledged_at=when)


@pytest.fixture
def oak(personas):
    """Oak: four staff; the policy was published 10 days ago; one acknowledged in week 0, two in week 1."""
    school = SchoolFactory(slug="oak", name="Oak Primary School")
    staff = []
    for n in range(4):
        user = UserFactory(email=f"oak{n}@symphony.example", first_name=f"Oakperson{n}", last_name="Tester")
        MembershipFactory(user=user, school=school, role=Role.STAFF)
        staff.append(user)
    policy = make_policy("Attendance policy")
    version = _published_days_ago(policy, 10)
    _acknowledge_at(staff[0], policy, version, version.published_at + timedelta(days=1))
    _acknowledge_at(staff[1], policy, version, version.published_at + timedelta(days=8))
    _acknowledge_at(staff[2], policy, version, version.published_at + timedelta(days=9))
    return {"school": school, "staff": staff, "policy": policy, "version": version}


def test_cumulative_share_by_week_since_publication(oak):
    report = build_report({oak["school"].pk})
    (growth,) = report.growth
    assert growth.requirement.title == "Attendance policy"
    rows = [(p.week, p.done, p.total, p.percent) for p in growth.points]
    assert rows == [(0, 1, 4, 25), (1, 3, 4, 75)]
    assert growth.points[0].up_to == timezone.localdate(oak["version"].published_at + timedelta(days=7))
    assert growth.points[-1].up_to == timezone.localdate()
    # the latest point agrees with the item figure for the same version
    (item,) = [i for i in report.totals.by_item if i.requirement.kind == "Policy"]
    assert (item.figure.total, item.figure.done) == (growth.latest.total, growth.latest.done)


def test_the_table_and_the_charts_text_alternative_show_the_same_figures(client, personas, oak):
    sign_in(client, personas.head)
    html = client.get("/briefing/oak/").content.decode()
    assert "How acknowledgement grew since each version was published" in html
    rows = re.findall(
        r'<tr><th scope="row">(\d+)</th><td>([^<]+)</td><td>(\d+)</td><td>(\d+)</td><td>([^<]+)</td></tr>', html
    )
    assert [(w, done, total, pct) for w, _date, done, total, pct in rows] == [
        ("0", "1", "4", "25%"),
        ("1", "3", "4", "75%"),
    ]
    label = re.search(r'<svg[^>]*role="img"[^>]*aria-label="([^"]+)"', html).group(1)
    assert "3 of 4 people (75%)" in label and "week 1" in label
    assert "<figcaption>" in html and "viewBox=" in html
    assert "<script" not in html.split("How acknowledgement grew", 1)[1].split("</main>", 1)[0]


def test_the_chart_has_one_bar_per_week_scaled_to_the_share(oak):
    (growth,) = build_report({oak["school"].pk}).growth
    first, second = growth.bars
    assert second.height == pytest.approx(3 * first.height)
    assert first.y + first.height == pytest.approx(second.y + second.height)  # same baseline


def test_the_overview_for_the_head_counts_the_whole_trust(client, personas, oak):
    brook_member = UserFactory(email="brook.extra@symphony.example")
    MembershipFactory(user=brook_member, school=personas.brook, role=Role.STAFF)
    (growth,) = build_report().growth
    everyone = build_report().totals.by_item[0].figure.total
    assert growth.latest.total == everyone > 4
    assert growth.latest.done == 3


def test_governors_see_their_own_schools_growth_as_numbers_and_no_names(client, personas, oak):
    _acknowledge_at(personas.staff, oak["policy"], oak["version"], oak["version"].published_at + timedelta(days=2))
    sign_in(client, personas.governor)
    html = client.get("/briefing/").content.decode()
    assert "How acknowledgement grew" in html
    rows = re.findall(
        r'<tr><th scope="row">(\d+)</th><td>[^<]+</td><td>(\d+)</td><td>(\d+)</td><td>([^<]+)</td></tr>', html
    )
    # Brook: staff, governor and designated teacher are the audience; only the staff member acknowledged
    assert rows == [("0", "1", "3", "33%"), ("1", "1", "3", "33%")]
    for user in (personas.staff, personas.dt, *oak["staff"]):
        assert user.email not in html
        assert not user.get_full_name() or user.get_full_name() not in html
    assert "Oak Primary School" not in html


def test_at_most_twelve_points_always_including_the_first_and_the_current_week():
    now = timezone.now()
    assert week_numbers(now - timedelta(days=3), now) == [0]
    assert week_numbers(now - timedelta(days=15), now) == [0, 1, 2]
    weeks = week_numbers(now - timedelta(weeks=40, days=2), now)
    assert len(weeks) == MAX_POINTS and weeks[0] == 0 and weeks[-1] == 40
    assert weeks == sorted(set(weeks))


def test_growth_query_count_does_not_depend_on_staff_or_receipts(personas, oak, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build_report()
    with CaptureQueriesContext(connection) as few:
        build_report()
    for n in range(30):
        user = UserFactory(email=f"many{n}@symphony.example")
        MembershipFactory(user=user, school=oak["school"], role=Role.STAFF)
        _acknowledge_at(user, oak["policy"], oak["version"], oak["version"].published_at + timedelta(days=n % 10))
    with django_assert_num_queries(len(few.captured_queries)):
        report = build_report()
    assert report.growth[0].latest.done == 33
