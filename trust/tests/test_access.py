"""trust/access.py: the one answer to "which schools may this person see, in which role", and the
permissions each role's group carries. Each test would fail if its rule were written differently."""

import pytest
from django.contrib.auth.models import Group

from trust import access
from trust.enums import GROUP_NAMES, Role
from trust.groups import sync_role_groups
from trust.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The person as the next request loads them (no memberships cached on the object)."""
    access.forget_memberships(user)
    return user


def test_a_school_role_covers_that_school_only(personas):
    governor = personas.governor
    assert access.has_role(governor, Role.GOVERNOR, school=personas.brook)
    assert not access.has_role(governor, Role.GOVERNOR, school=personas.meadow)
    assert access.school_ids_for(governor, Role.GOVERNOR) == {personas.brook.pk}
    assert list(access.schools_for(governor, Role.GOVERNOR)) == [personas.brook]


def test_a_trust_wide_role_covers_every_school(personas):
    head = personas.head
    assert access.has_role(head, Role.EXECUTIVE_HEAD, school=personas.castle)
    assert access.school_ids_for(head, Role.EXECUTIVE_HEAD) is None
    assert set(access.schools_for(head, Role.EXECUTIVE_HEAD)) == {personas.brook, personas.meadow, personas.castle}
    assert access.is_trust_wide(head)
    assert not access.is_trust_wide(personas.dt)


def test_a_trust_wide_role_never_widens_casework(personas):
    """The executive head sees no child: own_school_ids counts school-scoped roles only."""
    assert access.own_school_ids(personas.head, roles=(Role.DESIGNATED_TEACHER, Role.EXECUTIVE_HEAD)) == set()
    assert access.own_school_ids(personas.dt) == {personas.brook.pk, personas.meadow.pk}
    assert access.own_school_ids(personas.dt_castle) == {personas.castle.pk}


def test_a_role_asked_for_is_the_role_held(personas):
    assert not access.has_role(personas.staff, Role.GOVERNOR, Role.DESIGNATED_TEACHER)
    assert access.school_ids_for(personas.staff, Role.DESIGNATED_TEACHER) == set()
    assert access.roles_of(personas.dt) == {Role.DESIGNATED_TEACHER, Role.STAFF}


def test_an_ended_membership_gives_nothing(personas):
    membership = personas.governor.memberships.get()
    membership.ended_on = "2026-09-01"
    membership.save()
    governor = fresh(personas.governor)
    assert access.roles_of(governor) == set()
    assert not access.has_role(governor, Role.GOVERNOR)


def test_a_deactivated_person_holds_no_role(personas):
    personas.dt.is_active = False
    personas.dt.save()
    dt = fresh(personas.dt)
    assert access.current_memberships(dt) == []
    assert access.own_school_ids(dt) == set()


def test_anonymous_visitors_hold_no_role():
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    assert access.roles_of(visitor) == set()
    assert not access.needs_mfa(visitor)


@pytest.mark.parametrize(
    ("persona", "needs"),
    [
        ("staff", False),
        ("governor", False),
        ("nobody", False),
        ("dt", True),
        ("dt_castle", True),
        ("head", True),
        ("admin", True),
        ("dpo", True),
    ],
)
def test_who_needs_a_second_factor(personas, persona, needs):
    assert access.needs_mfa(getattr(personas, persona)) is needs


def test_a_staff_member_given_admin_access_needs_a_second_factor(personas):
    editors = Group.objects.get(name="Editors")
    personas.staff.groups.add(editors)
    assert access.needs_mfa(fresh(personas.staff))


def test_memberships_are_loaded_once_per_request(personas, django_assert_num_queries):
    dt = fresh(personas.dt)
    with django_assert_num_queries(1):
        access.roles_of(dt)
        access.has_role(dt, Role.DESIGNATED_TEACHER, school=personas.brook)
        access.own_school_ids(dt)


def test_role_groups_follow_current_memberships():
    user = UserFactory(email="two.roles@symphony.example")
    staff = MembershipFactory(user=user, role=Role.STAFF)
    MembershipFactory(user=user, role=Role.GOVERNOR, school=staff.school)
    sync_role_groups(user)
    assert set(user.groups.values_list("name", flat=True)) == {GROUP_NAMES[Role.STAFF], GROUP_NAMES[Role.GOVERNOR]}
    staff.ended_on = "2026-09-01"
    staff.save()
    sync_role_groups(user)
    assert set(user.groups.values_list("name", flat=True)) == {GROUP_NAMES[Role.GOVERNOR]}


def _crud(app, *models, actions=("add", "change", "delete", "view")):
    return {f"{app}.{action}_{model}" for model in models for action in actions}


CHOOSERS = {"wagtailadmin.access_admin", "wagtaildocs.choose_document", "wagtailimages.choose_image"}
DEADLINE_RULES = _crud("casework", "deadlinerule")

# What each role's group may do, pinned: a migration that widens a group must change this too.
GROUP_PERMISSIONS = {
    Role.STAFF: set(),
    Role.GOVERNOR: set(),
    Role.DATA_PROTECTION_OFFICER: set(),
    Role.EXECUTIVE_HEAD: CHOOSERS
    | DEADLINE_RULES
    | {"policy.change_caseworkgatesettings", "training.change_trainingsettings", "training.view_reminderrun"},
    Role.TRUST_ADMIN: CHOOSERS
    | DEADLINE_RULES
    | {"auth.add_user", "auth.change_user", "auth.view_user"}
    | _crud("trust", "membership", "nonteachingday", "term")
    | {"trust.add_school", "trust.change_school", "trust.view_school"}
    | {"training.change_trainingsettings", "training.view_reminderrun"}
    | {"policy.change_policyapprovalsettings"}
    | _crud("casework", "ppplusrate"),
    Role.DESIGNATED_TEACHER: CHOOSERS
    | _crud(
        "casework",
        "activity",
        "casedocument",
        "child",
        "cohortchange",
        "deadlinerule",
        "linkedplan",
        "localauthority",
        "pep",
        "pepstatuschange",
        "placement",
        "ppplusrequest",
        "previoustargetevaluation",
        "review",
        "sharedrecommendation",
        "suspension",
        "target",
        "targetprogress",
        "transition",
    )
    | {"casework.add_delegation", "casework.change_delegation", "casework.view_delegation"}
    | {"casework.add_careepisode", "casework.change_careepisode", "casework.view_careepisode"}
    | {"casework.view_ppplusrate"},
}


@pytest.mark.parametrize("role", list(GROUP_PERMISSIONS), ids=str)
def test_each_role_group_carries_exactly_its_permissions(role):
    group = Group.objects.get(name=GROUP_NAMES[role])
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert granted == GROUP_PERMISSIONS[role]


def test_only_someone_who_could_open_the_admin_could_edit_pages_and_a_new_role_shows_at_once(personas):
    """`could_edit_pages` answers False only for people who need no second factor (no admin, no MFA role)."""
    assert [access.could_edit_pages(fresh(getattr(personas, name))) for name in ("staff", "governor", "head")] == [
        False, False, True
    ]
    staff = fresh(personas.staff)
    assert not access.could_edit_pages(staff)
    MembershipFactory(user=staff, role=Role.EXECUTIVE_HEAD, school=None)
    assert access.could_edit_pages(fresh(staff))  # the role given in this request is seen once forgotten
    staff.is_active = False
    assert not access.could_edit_pages(fresh(staff))
