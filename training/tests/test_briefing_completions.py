"""The briefing counts `BriefingCompletion` (who has done which version of what), kept as receipts arrive.

Each change a person can make shows at once on the briefing pages, and the report's figures equal a
recount straight from the receipts (the way the report counted before the index existed) on a varied trust.
"""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import sign_in
from policy.acknowledgements import create_receipt, record_on_paper
from policy.models import PolicyVersion, ReadReceipt
from policy.tests.factories import make_guidance, make_policy, publish_change
from policy.versions import current_version
from training.briefing import _people, build_report, requirement_flags
from training.briefing_completions import rebuild
from training.briefing_growth import WEEK
from training.briefing_sources import all_requirements
from training.models import BriefingCompletion, TrainingCompletion
from training.tests.briefing_helpers import acknowledge, complete, staff_module
from trust.enums import Role
from trust.models import Membership
from trust.tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(personas):
    return make_policy("Children in Care policy")


def brook(client):
    """The head's figures for Brook, as its briefing page shows them: staff (done, total) and each item."""
    response = client.get("/briefing/brook/")
    assert response.status_code == 200
    entry = response.context["entry"]
    items = {i.requirement.title: (i.figure.done, i.figure.total) for i in entry.by_item}
    return (entry.by_role[0].done, entry.by_role[0].total), items


def test_an_online_acknowledgement_shows_at_once_and_is_kept_as_its_row(client, personas, policy):
    sign_in(client, personas.head)
    assert brook(client)[1]["Children in Care policy"] == (0, 3)
    receipt = acknowledge(personas.staff, policy)
    assert brook(client)[1]["Children in Care policy"] == (1, 3)
    row = BriefingCompletion.objects.get(user=personas.staff)
    assert (row.page_id, row.version_number, row.done_at, row.on_paper) == (policy.pk, 1, receipt.acknowledged_at, False)


def test_a_paper_acknowledgement_shows_at_once_and_is_marked_on_paper(client, personas, policy):
    sign_in(client, personas.head)
    brook(client)
    record_on_paper(
        personas.governor, policy, current_version(policy), recorded_by=personas.dt, signed_on=date(2026, 9, 2),
        reason="No computer at the governors' meeting.",
    )
    assert brook(client)[1]["Children in Care policy"] == (1, 3)
    assert BriefingCompletion.objects.get(user=personas.governor, page=policy).on_paper is True


def test_a_training_completion_shows_at_once_and_is_kept_as_its_row(client, personas, policy):
    module = staff_module("Safeguarding essentials")
    sign_in(client, personas.head)
    assert brook(client)[1]["Safeguarding essentials"] == (0, 2)
    complete(personas.staff, module)
    assert brook(client)[1]["Safeguarding essentials"] == (1, 2)
    completion = TrainingCompletion.objects.get(user=personas.staff, page=module)
    row = BriefingCompletion.objects.get(user=personas.staff, page=module)
    assert (row.version_number, row.done_at) == (1, completion.completed_at)


def test_a_minor_version_keeps_acknowledgements_and_a_material_one_asks_again_at_once(client, personas, policy):
    acknowledge(personas.staff, policy)
    sign_in(client, personas.head)
    assert brook(client)[0] == (1, 2)
    publish_change(policy, material=False, summary="Typo.")
    assert brook(client)[0] == (1, 2)
    policy, _revision = publish_change(policy, material=True, summary="New duty.")
    assert brook(client)[0] == (0, 2)
    assert BriefingCompletion.objects.filter(page=policy).count() == 1  # a new version adds no rows
    acknowledge(personas.staff, policy)
    assert brook(client)[0] == (1, 2)


def test_a_joiner_and_a_leaver_show_at_once(client, personas, policy):
    acknowledge(personas.staff, policy)
    sign_in(client, personas.head)
    assert brook(client)[0] == (1, 2)
    joiner = UserFactory(email="joiner@symphony.example")
    MembershipFactory(user=joiner, school=personas.brook, role=Role.STAFF)
    assert brook(client)[0] == (1, 3)
    acknowledge(joiner, policy)
    assert brook(client)[0] == (2, 3)
    leaving = Membership.objects.get(user=personas.staff, school=personas.brook, role=Role.STAFF)
    leaving.ended_on = timezone.localdate()
    leaving.save()
    assert brook(client)[0] == (1, 2)


def test_rebuilding_makes_the_rows_the_receipts_made(personas, policy, capsys):
    module = staff_module("Safeguarding essentials")
    acknowledge(personas.staff, policy)
    record_on_paper(
        personas.governor, policy, current_version(policy), recorded_by=personas.dt, signed_on=date(2026, 9, 2),
        reason="Signed at the meeting.",
    )
    complete(personas.staff, module)
    kept = set(BriefingCompletion.objects.values_list("user_id", "page_id", "version_number", "done_at", "on_paper"))
    assert len(kept) == 3
    BriefingCompletion.objects.all().delete()
    assert rebuild() == 3
    assert set(BriefingCompletion.objects.values_list("user_id", "page_id", "version_number", "done_at", "on_paper")) == kept
    BriefingCompletion.objects.all().delete()
    call_command("rebuild_briefing_completions")
    assert "3 briefing completions" in capsys.readouterr().out
    assert BriefingCompletion.objects.count() == 3


# --- The report against a recount from the receipts ---------------------------------------------------
def _recount(school_ids=None):
    """The figures counted person by person straight from the receipts (read receipts and training
    completions of each current version), as the report did before `BriefingCompletion`."""
    requirements = all_requirements()
    n = len(requirements)
    rows = list(
        _people(school_ids)
        .annotate(**requirement_flags(requirements))
        .values("school_id", "role", "user_id", *[f"req_{i}" for i in range(n)], *[f"done_{i}" for i in range(n)])
    )

    def figures(selected):
        people = {r["user_id"]: [(r[f"req_{i}"], r[f"done_{i}"]) for i in range(n)] for r in selected}
        briefed = sum(all(done or not applies for applies, done in flags) for flags in people.values())
        items = [
            (sum(flags[i][0] for flags in people.values()), sum(flags[i][0] and flags[i][1] for flags in people.values()))
            for i in range(n)
        ]
        return (len(people), briefed), items, people

    def by_role(selected):
        return [figures([r for r in selected if r["role"] == role])[0] for role in (Role.STAFF, Role.GOVERNOR)]

    schools = {r["school_id"] for r in rows}
    per_school = {s: (figures([r for r in rows if r["school_id"] == s]), by_role([r for r in rows if r["school_id"] == s])) for s in schools}
    return requirements, per_school, (figures(rows), by_role(rows))


def _shown(entry):
    return (
        (entry.overall.total, entry.overall.done),
        [(i.figure.total, i.figure.done) for i in entry.by_item],
        [(f.total, f.done) for f in entry.by_role],
    )


@pytest.fixture
def varied_trust(personas):
    """Three schools and Oak; people with several roles and schools; a school-only policy, DfE guidance, a
    governors' module; old-version, paper and leavers' receipts; a deactivated account; a minor change."""
    oak = SchoolFactory(slug="oak", name="Oak Primary School")
    everyone = make_policy("Children in Care policy")
    oak_only = make_policy("Oak lettings policy", slug="oak-lettings", applies_to_all_schools=False)
    oak_only.schools.set([oak])
    oak_only.save()
    guidance = make_guidance(
        "Designated teacher guidance", audience_roles=[Role.DESIGNATED_TEACHER, Role.GOVERNOR], acknowledgement_required=True
    )
    staff_training = staff_module("Safeguarding essentials")
    governor_training = staff_module("Governor monitoring", roles=(Role.GOVERNOR,))
    people = []
    for n in range(12):
        person = UserFactory(email=f"varied{n}@symphony.example")
        school = (oak, personas.brook, personas.meadow)[n % 3]
        MembershipFactory(user=person, school=school, role=Role.STAFF)
        people.append(person)
    MembershipFactory(user=people[0], school=oak, role=Role.GOVERNOR)  # staff and governor at Oak
    MembershipFactory(user=people[1], school=oak, role=Role.STAFF)  # staff at Brook and at Oak
    MembershipFactory(user=people[2], school=oak, role=Role.DESIGNATED_TEACHER)  # Meadow staff, Oak's DT
    for n, person in enumerate(people):
        if n % 2 == 0:
            acknowledge(person, everyone)
        if n % 3 == 0:
            complete(person, staff_training)
        if n % 4 == 0:
            acknowledge(person, oak_only)
    acknowledge(people[2], guidance)
    acknowledge(personas.governor, guidance)
    complete(people[0], governor_training)
    complete(personas.staff, staff_training)
    publish_change(everyone, material=False, summary="Typo.")
    acknowledge(personas.staff, everyone)
    record_on_paper(
        personas.governor, everyone, current_version(everyone), recorded_by=personas.dt, signed_on=date(2026, 9, 2),
        reason="Signed at the meeting.",
    )
    oak_only, _revision = publish_change(oak_only, material=True, summary="New hours.")  # earlier ones no longer count
    acknowledge(people[3], oak_only)
    acknowledge(people[4], oak_only)  # Brook staff: outside the Oak policy's audience, so not counted
    acknowledge(people[7], guidance)  # staff only: outside the guidance's audience
    leaver = Membership.objects.get(user=people[5], role=Role.STAFF)
    leaver.ended_on = timezone.localdate()
    leaver.save()
    people[6].is_active = False
    people[6].save()
    return {"oak": oak, "people": people, "everyone": everyone}


def test_the_report_equals_a_recount_from_the_receipts(varied_trust):
    report = build_report()
    requirements, per_school, (totals, totals_by_role) = _recount()
    assert [r.key for r in report.requirements] == [r.key for r in requirements]
    assert len(requirements) == 5
    for entry in report.schools:
        if entry.school.pk in per_school:
            (overall, items, _people_flags), by_role = per_school[entry.school.pk]
            assert _shown(entry) == (overall, items, by_role), entry.school.name
    (overall, items, _people_flags) = totals
    assert _shown(report.totals) == (overall, items, totals_by_role)
    assert 0 < report.totals.overall.done < report.totals.overall.total


def test_one_schools_report_and_its_names_equal_the_recount(varied_trust, personas):
    oak = varied_trust["oak"]
    report = build_report({oak.pk}, names_for={oak.pk})
    requirements, per_school, _totals = _recount({oak.pk})
    ((overall, items, people), by_role) = per_school[oak.pk]
    (entry,) = report.schools
    assert _shown(entry) == (overall, items, by_role)
    outstanding = {
        user_id
        for user_id, flags in people.items()
        if any(applies and not done for applies, done in flags)
    }
    by_email = {p.email: p.pk for p in varied_trust["people"]}
    assert {by_email[p.email] for p in entry.outstanding_people} == outstanding
    shown_items = {by_email[p.email]: sorted(p.items) for p in entry.outstanding_people}
    for user_id in outstanding:
        expected = sorted(
            f"{r.title}{f' ({r.version})' if r.version else ''}"
            for r, (applies, done) in zip(requirements, people[user_id], strict=True)
            if applies and not done
        )
        assert shown_items[user_id] == expected


def test_growth_week_by_week_equals_a_recount_from_the_receipts(varied_trust):
    policy = varied_trust["everyone"]
    version = current_version(policy)
    published = timezone.now() - timedelta(days=20)
    PolicyVersion.objects.filter(pk=version.pk).update(published_at=published)
    version.published_at = published
    for n, days in enumerate((1, 6, 8, 13, 15, 19)):
        person = UserFactory(email=f"grower{n}@symphony.example")
        MembershipFactory(user=person, school=varied_trust["oak"], role=Role.STAFF)
        create_receipt(person, policy, version, version.revision_id, acknowledged_at=published + timedelta(days=days))
    (growth,) = [g for g in build_report().growth if g.requirement.page_id == policy.pk]
    counted = set(_people(None).values_list("user_id", flat=True))
    acknowledged = ReadReceipt.objects.filter(page=policy, version_number=version.number, user_id__in=counted)
    moments = list(acknowledged.values_list("acknowledged_at", flat=True))
    now = timezone.now()
    expected = [sum(1 for moment in moments if moment < min(published + (week + 1) * WEEK, now)) for week in (0, 1, 2)]
    assert [p.week for p in growth.points] == [0, 1, 2]
    assert [p.done for p in growth.points] == expected
    assert expected[0] < expected[1] < expected[2]
