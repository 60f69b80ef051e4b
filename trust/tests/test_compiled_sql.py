"""Who needs a second factor is asked in SQL compiled once (trust/compiled_sql.py): the answers are the rule's,
for every person and every day, and a query that could not be compiled safely is refused."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Delegation
from casework.tests.factories import ChildFactory
from conftest import sign_in
from trust import access, auth_backends
from trust.compiled_sql import CompiledOnce
from trust.enums import Role
from trust.models import Membership
from trust.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
EVERY_PERSONA = ("staff", "governor", "nobody", "dt", "dt_castle", "head", "admin", "dpo")


def fresh(user):
    return User.objects.get(pk=user.pk)


def built_afresh(user) -> bool:
    """The rule itself, built by the ORM for this person and today."""
    if user.is_superuser:
        return True
    return access._rights_that_need_mfa(user.pk, timezone.localdate()).exists()


def test_every_persona_gets_the_rules_answer_in_one_query(personas):
    for name in EVERY_PERSONA:
        person = fresh(getattr(personas, name))
        with CaptureQueriesContext(connection) as queries:
            answer = access.needs_mfa(person)
        assert answer is built_afresh(person), name
        assert len(queries) == 1, name
    assert [access.needs_mfa(fresh(getattr(personas, name))) for name in EVERY_PERSONA] == [
        False, False, False, True, True, True, True, True
    ]


def test_each_way_to_need_mfa_is_seen_and_ending_it_is_seen(personas):
    staff = personas.staff
    assert not access.needs_mfa(fresh(staff))
    role = MembershipFactory(user=staff, role=Role.DESIGNATED_TEACHER, school=personas.brook)
    assert access.needs_mfa(fresh(staff))
    role.ended_on = datetime.date(2026, 9, 1)
    role.save()
    assert not access.needs_mfa(fresh(staff))
    editors = Group.objects.create(name="Policy editors")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    staff.groups.add(editors)
    assert access.needs_mfa(fresh(staff))
    staff.groups.remove(editors)
    staff.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    assert access.needs_mfa(fresh(staff))
    staff.is_active = False
    staff.save()
    assert not access.needs_mfa(fresh(staff))


def test_a_delegation_needs_mfa_until_the_day_it_ends_not_the_day_the_sql_was_compiled(personas):
    mentor = UserFactory(email="mentor.compiled@symphony.example")
    MembershipFactory(user=mentor, role=Role.STAFF, school=personas.brook)
    child = ChildFactory(school=personas.brook)
    Delegation.objects.create(child=child, delegate=mentor, sections=[], ends_on=datetime.date(2026, 12, 18))
    with time_machine.travel(datetime.datetime(2026, 12, 18, 12, tzinfo=datetime.UTC), tick=False):
        assert access.needs_mfa(fresh(mentor)) is built_afresh(mentor) is True
    with time_machine.travel(datetime.datetime(2026, 12, 19, 12, tzinfo=datetime.UTC), tick=False):
        assert access.needs_mfa(fresh(mentor)) is built_afresh(mentor) is False
    with time_machine.travel(datetime.datetime(2026, 12, 17, 12, tzinfo=datetime.UTC), tick=False):
        child.left_on = datetime.date(2026, 12, 17)
        child.save()
        assert access.needs_mfa(fresh(mentor)) is built_afresh(mentor) is False


def test_one_persons_answer_is_never_anothers(personas):
    for _ in range(2):
        assert (access.needs_mfa(fresh(personas.dt)), access.needs_mfa(fresh(personas.staff))) == (True, False)


def test_a_value_written_into_the_sql_rather_than_passed_is_refused(db):
    def build(person_id):
        return User.objects.extra(where=[f"id = {int(person_id)}"])  # noqa: S610 - an int, written in on purpose

    written_in = CompiledOnce(build, person_id=-7)
    with pytest.raises(ValueError, match="written into the SQL"):
        written_in.exists(person_id=1)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite takes dates as text: only PostgreSQL shows them")
def test_a_query_that_reads_the_clock_while_it_is_built_is_refused(db):
    clock_read = CompiledOnce(
        lambda person_id: User.objects.filter(pk=person_id, date_joined__date__lte=timezone.localdate()), person_id=-7
    )
    with pytest.raises(ValueError, match="stay in it for ever"):
        clock_read.exists(person_id=1)


def test_values_are_named_as_when_compiled(db):
    query = CompiledOnce(lambda person_id: User.objects.filter(pk=person_id), person_id=-7)
    with pytest.raises(TypeError):
        query.exists(user=1)
    user = UserFactory()
    assert query.exists(person_id=user.pk) and not query.exists(person_id=user.pk + 1000)


def _fields(membership):
    return (
        membership.pk,
        membership.user_id,
        membership.role,
        membership.school_id,
        membership.job_title,
        membership.started_on,
        membership.ended_on,
        membership.school.name if membership.school_id else None,
    )


def test_current_memberships_are_the_orms_instances_in_one_query(personas):
    MembershipFactory(
        user=personas.staff, role=Role.GOVERNOR, school=personas.castle, started_on=datetime.date(2025, 9, 1)
    )
    MembershipFactory(user=personas.staff, role=Role.TRUST_ADMIN, school=None, started_on=datetime.date(2024, 1, 2))
    ended = MembershipFactory(user=personas.staff, role=Role.STAFF, school=personas.castle)
    ended.ended_on = datetime.date(2026, 7, 31)
    ended.save()
    for name in EVERY_PERSONA:
        person = fresh(getattr(personas, name))
        with CaptureQueriesContext(connection) as queries:
            mine = access.current_memberships(person)
            shown = [_fields(m) for m in mine]  # the school was read with them
        by_the_orm = Membership.objects.current().filter(user=person).select_related("school")
        assert shown == [_fields(m) for m in by_the_orm], name
        assert len(queries) == 1, name
    started = {m.role: m.started_on for m in access.current_memberships(fresh(personas.staff))}
    assert started[Role.GOVERNOR] == datetime.date(2025, 9, 1)  # a date, on SQLite too (its converters ran)
    assert started[Role.TRUST_ADMIN] == datetime.date(2024, 1, 2)


def test_a_role_ended_or_begun_shows_at_once_and_one_persons_roles_are_never_anothers(personas):
    assert [m.role for m in access.current_memberships(fresh(personas.staff))] == [Role.STAFF]
    role = MembershipFactory(user=personas.staff, role=Role.DESIGNATED_TEACHER, school=personas.brook)
    assert sorted(m.role for m in access.current_memberships(fresh(personas.staff))) == sorted(
        [Role.STAFF, Role.DESIGNATED_TEACHER]
    )
    assert [m.role for m in access.current_memberships(fresh(personas.governor))] == [Role.GOVERNOR]
    role.ended_on = datetime.date(2026, 9, 1)
    role.save()
    assert [m.role for m in access.current_memberships(fresh(personas.staff))] == [Role.STAFF]


def test_instances_are_made_of_the_fields_asked_for_and_never_of_values_or_annotations(db):
    user = UserFactory(first_name="Ada")
    only_email = CompiledOnce(lambda person_id: User.objects.filter(pk=person_id).only("email"), person_id=-7)
    [found] = only_email.instances(person_id=user.pk)
    assert found.get_deferred_fields() >= {"first_name", "password"} and found.email == user.email
    assert found.first_name == "Ada"  # a deferred field is read when asked for, as the ORM's own instances do
    for build in (
        lambda person_id: User.objects.filter(pk=person_id).values("email"),
        lambda person_id: User.objects.filter(pk=person_id).annotate(n=Count("groups")),
    ):
        with pytest.raises(ValueError, match="only instances"):
            CompiledOnce(build, person_id=-7).instances(person_id=1)


def test_the_signed_in_person_is_read_in_one_query_and_an_inactive_account_is_nobody(client, personas):
    sign_in(client, personas.staff)
    session_user = client.session["_auth_user_id"]
    backend = auth_backends.ModelBackend()
    with CaptureQueriesContext(connection) as queries:
        person = backend.get_user(session_user)
    assert (person, person.email, person.first_name, len(queries)) == (
        personas.staff, personas.staff.email, personas.staff.first_name, 1
    )
    assert backend.get_user(str(personas.governor.pk)) == personas.governor  # never the previous answer
    assert backend.get_user("not an id") is None and backend.get_user(str(personas.staff.pk + 10_000)) is None
    personas.staff.is_active = False
    personas.staff.save()
    assert backend.get_user(session_user) is None
    assert client.get("/").status_code == 302  # signed out: sent to sign in
