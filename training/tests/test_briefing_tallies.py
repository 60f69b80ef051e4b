"""The week tallies the database keeps of `BriefingCompletion` (training/briefing_tallies.py), and the
briefing's growth chart that reads them instead of every completion.

The tallies must always equal a count of the completions, and the rebuilt report (no cache) must equal
the old exhaustive count, person by person, at once after a receipt, a leaver, a role change or a new
version, and on a seeded random trust.
"""

import random
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db.models import Count, Max
from django.utils import timezone

from policy.acknowledgements import create_receipt
from policy.models import PolicyVersion
from policy.tests.factories import make_policy, publish_change
from policy.versions import current_version
from training.briefing import COUNTED_ROLES, build_report
from training.briefing_completions import rebuild
from training.briefing_growth import WEEK
from training.briefing_sources import all_requirements
from training.models import BriefingCompletion, BriefingVersionTally, BriefingWeekTally
from training.tests.briefing_helpers import complete, staff_module
from trust.enums import Role
from trust.models import Membership
from trust.tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    """The weeks are counted against now: one fixed moment for every step of a test."""
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=UTC), tick=False):
        yield


def _published_days_ago(policy, days):
    """The current version, published `days` ago (before any receipt of it is made)."""
    version = current_version(policy)
    version.published_at = timezone.now() - timedelta(days=days)
    PolicyVersion.objects.filter(pk=version.pk).update(published_at=version.published_at)
    return version


def _acknowledge(user, policy, days_after):
    version = current_version(policy)
    return create_receipt(
        user, policy, version, version.revision_id, acknowledged_at=version.published_at + timedelta(days=days_after)
    )


def _tallies():
    versions = {
        (t.page_id, t.version_number): (t.done, t.last_done_at) for t in BriefingVersionTally.objects.all() if t.done
    }
    weeks = {
        (t.page_id, t.version_number, t.since, t.week): t.done for t in BriefingWeekTally.objects.all() if t.done
    }
    return versions, weeks


def _counted_from_completions():
    """What the tallies should hold, counted from the completions (the week as the growth chart counts it)."""
    versions = {
        (row["page_id"], row["version_number"]): (row["done"], row["last"])
        for row in BriefingCompletion.objects.values("page_id", "version_number").annotate(
            done=Count("pk"), last=Max("done_at")
        )
    }
    starts = {}
    for version in PolicyVersion.objects.all():
        key = (version.page_id, version.number)
        starts[key] = min(starts.get(key, version.published_at), version.published_at)
    weeks = {}
    for row in BriefingCompletion.objects.all():
        since = starts.get((row.page_id, row.version_number))
        if since is not None:
            key = (row.page_id, row.version_number, since, int((row.done_at - since) / WEEK))
            weeks[key] = weeks.get(key, 0) + 1
    return versions, weeks


def _old_exhaustive_report(school_ids=None):
    """The figures the report must show, counted person by person from the receipts through each
    requirement's own `applies` and `done_at` (as the report counted before the flag table): each item's
    (total, done) and, for each policy version, who had acknowledged it by the end of each week shown."""
    requirements = all_requirements()
    now = timezone.now()
    people = {
        m.user_id
        for m in Membership.objects.current().filter(role__in=COUNTED_ROLES, user__is_active=True)
        if school_ids is None or m.school_id in school_ids
    }
    items, growth = [], {}
    for r in requirements:
        applies = set(
            get_user_model().objects.filter(pk__in=people).alias(a=r.applies("pk")).filter(a=True).values_list("pk", flat=True)
        )
        done_at = dict(
            get_user_model().objects.filter(pk__in=applies)
            .annotate(at=r.done_at("pk"))
            .exclude(at=None)
            .values_list("pk", "at")
        )
        items.append((r.key, len(applies), len(done_at)))
        if r.kind != "Training":
            weeks = [int((at - r.since) / WEEK) for at in done_at.values() if at < now]
            growth[r.key] = weeks
    return items, growth


def _report(school_ids=None):
    report = build_report(school_ids)
    items = [(i.requirement.key, i.figure.total, i.figure.done) for i in report.totals.by_item]
    growth = {g.requirement.key: [(p.week, p.done, p.total) for p in g.points] for g in report.growth}
    return items, growth


def _assert_equal_to_the_old_count(school_ids=None):
    items, growth = _report(school_ids)
    old_items, old_weeks = _old_exhaustive_report(school_ids)
    assert items == old_items
    totals = {key: total for key, total, _done in old_items}
    for key, points in growth.items():
        expected = [(week, sum(1 for w in old_weeks[key] if w <= week), totals[key]) for week, _d, _t in points]
        assert points == expected, key
    return items, growth


# --- The tallies follow the completions -------------------------------------------------------------
def test_the_tallies_count_every_completion_as_it_is_made_and_again_after_a_rebuild(personas):
    policy = make_policy("Attendance policy")
    _published_days_ago(policy, 20)
    _acknowledge(personas.staff, policy, 1)
    _acknowledge(personas.governor, policy, 9)
    _acknowledge(personas.dt, policy, 10)
    complete(personas.staff, staff_module("Safeguarding essentials"))  # training: a version count, no weeks
    versions, weeks = _tallies()
    assert (versions, weeks) == _counted_from_completions()
    since = current_version(policy).published_at
    assert weeks == {(policy.pk, 1, since, 0): 1, (policy.pk, 1, since, 1): 2}
    assert versions[(policy.pk, 1)][0] == 3

    BriefingWeekTally.objects.update(done=99)  # whatever they held, a rebuild counts them again
    rebuild()
    assert _tallies() == (versions, weeks)

    policy, _revision = publish_change(policy, material=True, summary="New duty.")
    _acknowledge(personas.staff, policy, 0)
    assert _tallies() == _counted_from_completions()
    assert _tallies()[0][(policy.pk, 2)][0] == 1


def test_a_deleted_completion_is_taken_off_its_tallies(personas):
    policy = make_policy("Attendance policy")
    _published_days_ago(policy, 3)
    _acknowledge(personas.staff, policy, 1)
    _acknowledge(personas.governor, policy, 2)
    BriefingCompletion.objects.filter(user=personas.staff).delete()
    assert _tallies() == _counted_from_completions()
    assert _tallies()[0][(policy.pk, 1)][0] == 1


# --- Each change shows at once in the rebuilt report --------------------------------------------------
@pytest.fixture
def oak(personas):
    """Oak: six staff and a governor; a staff-and-governors policy published 20 days ago."""
    school = SchoolFactory(slug="oak", name="Oak Primary School")
    staff = []
    for n in range(6):
        user = UserFactory(email=f"oak{n}@symphony.example")
        MembershipFactory(user=user, school=school, role=Role.STAFF)
        staff.append(user)
    governor = UserFactory(email="oak.governor@symphony.example")
    MembershipFactory(user=governor, school=school, role=Role.GOVERNOR)
    policy = make_policy("Attendance policy", audience_roles=[Role.STAFF, Role.GOVERNOR])
    _published_days_ago(policy, 20)
    for n, days in enumerate((1, 2, 8, 15)):
        _acknowledge(staff[n], policy, days)
    return {"school": school, "staff": staff, "governor": governor, "policy": policy}


def _growth_of(policy):
    (growth,) = [g for g in build_report().growth if g.requirement.page_id == policy.pk]
    return [(p.week, p.done) for p in growth.points], growth.total


def test_a_receipt_shows_at_once_in_the_growth(oak):
    points, total = _growth_of(oak["policy"])
    assert points == [(0, 2), (1, 3), (2, 4)]
    _acknowledge(oak["staff"][4], oak["policy"], 3)
    assert _growth_of(oak["policy"])[0] == [(0, 3), (1, 4), (2, 5)]
    _assert_equal_to_the_old_count()


def test_a_leavers_receipt_leaves_the_growth_at_once(oak):
    total = _growth_of(oak["policy"])[1]
    leaving = Membership.objects.get(user=oak["staff"][0], role=Role.STAFF)
    leaving.ended_on = timezone.localdate()
    leaving.save()
    # The tally still counts the leaver's receipt: the chart must not.
    assert _tallies()[0][(oak["policy"].pk, 1)][0] == 4
    assert _growth_of(oak["policy"]) == ([(0, 1), (1, 2), (2, 3)], total - 1)
    _assert_equal_to_the_old_count()


def test_a_deactivated_account_leaves_the_growth_at_once(oak):
    oak["staff"][2].is_active = False
    oak["staff"][2].save()
    assert _growth_of(oak["policy"])[0] == [(0, 2), (1, 2), (2, 3)]
    _assert_equal_to_the_old_count()


def test_a_role_change_out_of_the_audience_shows_at_once(oak):
    governors_only = make_policy("Governors' code of conduct", slug="governors-code", audience_roles=[Role.GOVERNOR])
    _published_days_ago(governors_only, 10)
    _acknowledge(oak["governor"], governors_only, 1)
    assert _growth_of(governors_only) == ([(0, 1), (1, 1)], 2)  # Oak's governor and Brook's
    membership = Membership.objects.get(user=oak["governor"])
    membership.role = Role.STAFF  # now staff: outside the code's audience, their receipt no longer counts
    membership.save()
    assert _growth_of(governors_only) == ([(0, 0), (1, 0)], 1)
    membership.role = Role.GOVERNOR
    membership.save()
    assert _growth_of(governors_only) == ([(0, 1), (1, 1)], 2)
    _assert_equal_to_the_old_count()


def test_a_new_version_starts_the_growth_again_at_once(oak):
    total = _growth_of(oak["policy"])[1]
    policy, _revision = publish_change(oak["policy"], material=True, summary="New duty.")
    _published_days_ago(policy, 1)
    assert _growth_of(policy) == ([(0, 0)], total)
    _acknowledge(oak["staff"][5], policy, 0)
    assert _growth_of(policy) == ([(0, 1)], total)
    _assert_equal_to_the_old_count()


def test_a_publication_date_moved_after_the_receipts_is_counted_from_the_completions(oak):
    """The tally's weeks were counted from the old date: the chart counts from the completions instead."""
    version = current_version(oak["policy"])
    PolicyVersion.objects.filter(pk=version.pk).update(published_at=version.published_at - timedelta(days=7))
    assert _growth_of(oak["policy"])[0] == [(0, 0), (1, 2), (2, 3), (3, 4)]
    _assert_equal_to_the_old_count()


def test_a_receipt_dated_after_now_is_left_out_as_before(oak):
    _acknowledge(oak["staff"][5], oak["policy"], 20.5)  # in 12 hours, still this week (a clock set wrong)
    assert _growth_of(oak["policy"])[0] == [(0, 2), (1, 3), (2, 4)]
    _assert_equal_to_the_old_count()


# --- A seeded random trust ----------------------------------------------------------------------------
def _random_trust(seed):
    """Schools, people with one to three roles, policies with varied audiences (some for one school), receipts
    on varied days, old versions, leavers, deactivated accounts: the same trust for the same seed."""
    rng = random.Random(seed)
    schools = [SchoolFactory(slug=f"school-{seed}-{n}", name=f"School {seed}-{n}") for n in range(4)]
    roles = [Role.STAFF, Role.GOVERNOR, Role.DESIGNATED_TEACHER]
    places = [(school, role) for school in schools for role in roles]
    people = []
    for n in range(40):
        person = UserFactory(email=f"random{seed}-{n}@symphony.example")
        for school, role in rng.sample(places, rng.choice((1, 1, 1, 2, 3))):
            MembershipFactory(user=person, school=school, role=role)
        people.append(person)
    leavers, inactive, changing = rng.sample(people, 5), rng.sample(people, 3), rng.sample(people, 6)
    counted = set(Membership.objects.filter(role__in=COUNTED_ROLES).values_list("user_id", flat=True))
    staying = [p for p in people if p.pk in counted and p not in leavers + inactive + changing]
    policies = []
    for n in range(5):
        # Policies 0 and 1: everyone's, acknowledged only by people who stay (their tallies are used).
        audience = roles if n < 2 else rng.sample(roles, rng.choice((1, 2, 3)))
        policy = make_policy(f"Random policy {n}", slug=f"random-{seed}-{n}", audience_roles=audience)
        if n == 4:
            policy.applies_to_all_schools = False
            policy.save()
            policy.schools.set(rng.sample(schools, 2))
        age = rng.randrange(1, 120)
        _published_days_ago(policy, age)
        for person in rng.sample(staying, 15) if n < 2 else rng.sample(people, 25):  # some outside the audience
            _acknowledge(person, policy, rng.randrange(0, age))
        if n == 3:  # a new version: the old receipts no longer count
            policy, _revision = publish_change(policy, material=True, summary="Changed.")
            _published_days_ago(policy, 5)
            for person in rng.sample(people, 10):
                _acknowledge(person, policy, rng.randrange(0, 5))
        policies.append(policy)
    for person in leavers:
        Membership.objects.filter(user=person).update(ended_on=timezone.localdate())
    for person in inactive:
        person.is_active = False
        person.save()
    for membership in Membership.objects.filter(user__in=changing).order_by("pk"):
        role = rng.choice(roles)
        if not Membership.objects.filter(user=membership.user_id, school=membership.school_id, role=role).exists():
            membership.role = role
            membership.save()
    return schools


@pytest.mark.parametrize("seed", [16, 2026])
def test_the_rebuilt_report_equals_the_old_exhaustive_count_on_a_random_trust(personas, seed):
    schools = _random_trust(seed)
    items, growth = _assert_equal_to_the_old_count()
    assert any(done for _key, _total, done in items) and len(growth) >= 5
    _assert_equal_to_the_old_count({schools[0].pk, schools[1].pk})


def test_the_random_trust_has_tallies_with_and_without_completions_from_outside_the_audience(personas):
    """The random trust exercises each way of counting: tallies of versions only the counted people did,
    tallies less leavers' and others' completions, and versions counted from their completions."""
    _random_trust(16)
    report = build_report()
    done = {i.requirement.key: i.figure.done for i in report.totals.by_item}
    tallied = {(t.page_id, t.version_number): t.done for t in BriefingVersionTally.objects.all()}
    # (completions from outside the table or the audience, completions by counted people in it)
    policies = [
        (tallied.get((r.page_id, r.version_number), 0) - done[r.key], done[r.key])
        for r in report.requirements
        if r.kind == "Policy"
    ]
    assert any(outside == 0 < inside for outside, inside in policies)  # the tally as it is
    assert any(0 < outside <= inside for outside, inside in policies)  # the tally less those from outside
    assert any(outside > inside for outside, inside in policies)  # counted from the completions
