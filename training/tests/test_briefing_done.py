"""Each person's done masks (training/briefing_done.py): set and cleared by the database as completions come
and go, renewed for a page when its version changes or it takes a free slot.

After every change the masks must equal a recount from the completions, and the report built from them (no
cache) must show the change at once; renewing slots takes the same statements for few pages and people as
for many.
"""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policy.models import PolicyPage
from policy.tests.factories import make_policy, publish_change
from training import briefing, briefing_done
from training.briefing import build_report
from training.briefing_completions import rebuild
from training.briefing_done import slots_for
from training.briefing_sources import all_requirements
from training.models import BriefingCompletion, BriefingDoneMask, BriefingDoneSlot
from training.tests.briefing_helpers import acknowledge, complete, staff_module
from training.tests.test_briefing_completions import _recount, _shown, varied_trust  # noqa: F401 - a fixture
from trust.enums import Role
from trust.models import Membership
from trust.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

POLICY = "Children in Care policy"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def policy(personas):
    return make_policy(POLICY)


def _masks_by_slot() -> dict[int, set[int]]:
    """slot: the people whose bit of it is set."""
    people: dict[int, set[int]] = {}
    for mask in BriefingDoneMask.objects.all():
        for bit in range(briefing_done.BITS):
            if mask.done >> bit & 1:
                people.setdefault(mask.bit_group * briefing_done.BITS + bit, set()).add(mask.user_id)
    return people


def _completions_by_slot() -> dict[int, set[int]]:
    """slot: the people with a completion of the version it stands for."""
    people = {}
    for slot in BriefingDoneSlot.objects.all():
        done = BriefingCompletion.objects.filter(page_id=slot.page_id, version_number=slot.version_number)
        if users := set(done.values_list("user_id", flat=True)):
            people[slot.slot] = users
    return people


def _figures(school):
    """The school's (done, total) by role (staff, governors) and by item, rebuilt; the masks checked first."""
    entry = next(e for e in build_report().schools if e.school == school)
    assert _masks_by_slot() == _completions_by_slot()
    items = {i.requirement.title: (i.figure.done, i.figure.total) for i in entry.by_item}
    return [(f.done, f.total) for f in entry.by_role], items


def _slot(page) -> int:
    return BriefingDoneSlot.objects.get(page_id=page.pk).slot


def test_a_receipt_and_a_completion_set_the_persons_bit_at_once(personas, policy):
    module = staff_module("Safeguarding essentials")
    assert _figures(personas.brook)[1] == {POLICY: (0, 3), "Safeguarding essentials": (0, 2)}
    acknowledge(personas.staff, policy)
    complete(personas.dt, module)
    assert _masks_by_slot() == {_slot(policy): {personas.staff.pk}, _slot(module): {personas.dt.pk}}
    assert _figures(personas.brook)[1] == {POLICY: (1, 3), "Safeguarding essentials": (1, 2)}


def test_a_removed_completion_clears_the_bit_and_rebuilding_the_completions_sets_it_again(personas, policy):
    acknowledge(personas.staff, policy)
    acknowledge(personas.governor, policy)
    assert _figures(personas.brook)[1][POLICY] == (2, 3)
    BriefingCompletion.objects.filter(user=personas.staff).delete()
    assert _masks_by_slot() == {_slot(policy): {personas.governor.pk}}
    assert _figures(personas.brook)[1][POLICY] == (1, 3)
    rebuild()
    assert _figures(personas.brook)[1][POLICY] == (2, 3)


def test_a_minor_correction_keeps_the_bits_and_a_new_version_asks_again(personas, policy, django_assert_num_queries):
    acknowledge(personas.staff, policy)
    acknowledge(personas.governor, policy)
    assert _figures(personas.brook)[1][POLICY] == (2, 3)
    publish_change(policy, material=False, summary="Typo.")
    requirements = all_requirements()
    with django_assert_num_queries(1):  # the slots, nothing renewed
        slots_for(requirements)
    assert _figures(personas.brook)[1][POLICY] == (2, 3)

    policy, _revision = publish_change(policy, material=True, summary="New duty.")
    assert _figures(personas.brook)[1][POLICY] == (0, 3)
    assert BriefingDoneSlot.objects.get(page_id=policy.pk).version_number == 2
    assert _masks_by_slot() == {}
    acknowledge(personas.staff, policy)
    assert _masks_by_slot() == {_slot(policy): {personas.staff.pk}}
    assert _figures(personas.brook)[1][POLICY] == (1, 3)


def test_a_page_no_longer_required_gives_its_slot_to_a_new_one_without_its_bits(personas, policy):
    acknowledge(personas.staff, policy)
    assert _figures(personas.brook)[1] == {POLICY: (1, 3)}
    freed = _slot(policy)
    PolicyPage.objects.get(pk=policy.pk).unpublish()
    lettings = make_policy("Lettings policy", slug="lettings")
    assert _figures(personas.brook)[1] == {"Lettings policy": (0, 3)}
    assert _slot(lettings) == freed
    assert not BriefingDoneSlot.objects.filter(page_id=policy.pk).exists()
    acknowledge(personas.governor, lettings)
    assert _figures(personas.brook)[1] == {"Lettings policy": (1, 3)}


def _end(user, school, role):
    membership = Membership.objects.get(user=user, school=school, role=role, ended_on__isnull=True)
    membership.ended_on = datetime(2026, 11, 30, tzinfo=UTC).date()
    membership.save()


def test_what_a_person_has_done_follows_them_through_a_role_change_a_move_leaving_and_joining(personas, policy):
    staff = personas.staff
    acknowledge(staff, policy)
    assert _figures(personas.brook)[0] == [(1, 2), (0, 1)]  # staff (staff, dt), governors (governor)
    _end(staff, personas.brook, Role.STAFF)
    MembershipFactory(user=staff, school=personas.brook, role=Role.GOVERNOR)
    assert _figures(personas.brook)[0] == [(0, 1), (1, 2)]
    _end(staff, personas.brook, Role.GOVERNOR)
    MembershipFactory(user=staff, school=personas.meadow, role=Role.STAFF)
    assert _figures(personas.brook)[0] == [(0, 1), (0, 1)]
    assert _figures(personas.meadow)[0] == [(1, 1), (0, 0)]
    _end(staff, personas.meadow, Role.STAFF)
    assert _figures(personas.meadow)[0] == [(0, 0), (0, 0)]
    joiner = UserFactory(email="joiner@symphony.example")
    MembershipFactory(user=joiner, school=personas.meadow, role=Role.STAFF)
    assert _figures(personas.meadow)[0] == [(0, 1), (0, 0)]
    acknowledge(joiner, policy)
    assert _figures(personas.meadow)[0] == [(1, 1), (0, 0)]


def _renewing(requirements) -> int:
    with CaptureQueriesContext(connection) as renewing:
        slots_for(requirements)
    return len(renewing.captured_queries)


def test_renewing_slots_takes_the_same_statements_for_few_pages_and_people_as_for_many(personas, policy):
    acknowledge(personas.staff, policy)
    slots_for(all_requirements())
    policy, _revision = publish_change(policy, material=True, summary="New duty.")
    acknowledge(personas.staff, policy)
    few = _renewing(all_requirements())

    pages = [policy, *[make_policy(f"Policy {n}", slug=f"policy-{n}") for n in range(3)]]
    slots_for(all_requirements())
    for n in range(20):
        person = UserFactory(email=f"many{n}@symphony.example")
        MembershipFactory(user=person, school=personas.brook, role=Role.STAFF)
        for page in pages:
            acknowledge(person, page)
    for page in pages:
        publish_change(page, material=True, summary="New duty.")
    for n, page in enumerate(pages):
        acknowledge(UserFactory(email=f"new{n}@symphony.example"), PolicyPage.objects.get(pk=page.pk))
    assert _renewing(all_requirements()) == few
    assert _masks_by_slot() == _completions_by_slot()


@pytest.fixture
def two_bits_a_group(monkeypatch):
    """Masks of two bits, so a handful of requirements spans several groups (as more than 62 would)."""
    editor = SimpleNamespace(connection=connection)  # what install reads of a schema editor
    monkeypatch.setattr(briefing_done, "BITS", 2)
    monkeypatch.setattr(briefing, "BITS", 2)
    briefing_done.uninstall(apps, editor)
    briefing_done.install(apps, editor)
    yield
    briefing_done.uninstall(apps, editor)
    monkeypatch.undo()
    briefing_done.install(apps, editor)


def _assert_equals_the_recount():
    report = build_report()
    _requirements, per_school, (totals, totals_by_role) = _recount()
    for entry in report.schools:
        if entry.school.pk in per_school:
            (overall, items, _people), by_role = per_school[entry.school.pk]
            assert _shown(entry) == (overall, items, by_role), entry.school.name
    overall, items, _people = totals
    assert _shown(report.totals) == (overall, items, totals_by_role)
    assert _masks_by_slot() == _completions_by_slot()


def test_masks_in_several_groups_give_the_recounted_figures(two_bits_a_group, varied_trust, personas):  # noqa: F811
    _assert_equals_the_recount()
    assert len(all_requirements()) == 5
    assert {slot // 2 for slot in BriefingDoneSlot.objects.values_list("slot", flat=True)} == {0, 1, 2}
    for n in (1, 3, 7, 9):  # not yet acknowledged; set by the trigger, whichever group the page is in
        acknowledge(varied_trust["people"][n], varied_trust["everyone"])
    _assert_equals_the_recount()
