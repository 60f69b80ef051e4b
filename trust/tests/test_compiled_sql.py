"""Who needs a second factor is asked in SQL compiled once (trust/compiled_sql.py): the answers are the rule's,
for every person and every day, and a query that could not be compiled safely is refused."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Delegation
from casework.tests.factories import ChildFactory
from trust import access
from trust.compiled_sql import CompiledOnce
from trust.enums import Role
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
