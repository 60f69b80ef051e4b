"""Escalation to each school's head teacher: only their own schools' overdue people, one email per head."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from time_machine import travel

from conftest import sign_in
from policy.tests.factories import make_policy
from training.models import ReminderRun
from training.tests.briefing_helpers import acknowledge, complete, staff_module
from trust.enums import Role
from trust.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    policy = make_policy("Children in Care policy")
    module = staff_module("Safeguarding essentials")
    acknowledge(personas.staff, policy)
    complete(personas.staff, module)
    meadow_staff = UserFactory(email="meadow.staff@symphony.example", first_name="Mabel", last_name="Meadowsweet")
    MembershipFactory(user=meadow_staff, school=personas.meadow, role=Role.STAFF)
    return {"meadow_staff": meadow_staff}


def escalations_to(email):
    return [m for m in mail.outbox if m.to == [email] and "outstanding for over" in m.subject]


def run_later(django_capture_on_commit_callbacks, days=20):
    with travel(timezone.now() + timedelta(days=days), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_briefing_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return ReminderRun.objects.latest()


def head_of(school, user):
    school.head_teacher = user
    school.save()


def test_a_head_of_two_schools_gets_one_digest_grouping_both_and_only_their_schools(
    personas, world, django_capture_on_commit_callbacks
):
    head_of(personas.brook, personas.dt)
    head_of(personas.meadow, personas.dt)
    record = run_later(django_capture_on_commit_callbacks)

    (digest,) = escalations_to(personas.dt.email)
    body = digest.body
    assert "Brook Primary School" in body and "Meadow Primary School" in body
    assert body.index("Brook Primary School") < body.index(personas.governor.get_full_name()) < body.index(
        "Meadow Primary School"
    ) < body.index("Mabel Meadowsweet")
    assert personas.dt_castle.get_full_name() not in body  # another school's people
    assert personas.staff.get_full_name() not in body  # briefed
    assert "Children in Care policy" in body and "Safeguarding essentials" in body
    assert "3 people in your schools have been outstanding for over 14 days" in digest.subject

    (executive,) = escalations_to(personas.head.email)  # the executive head, as before
    assert personas.dt_castle.get_full_name() in executive.body
    assert record.escalations_sent == 2


def test_each_school_head_gets_their_own_schools_digest(personas, world, django_capture_on_commit_callbacks):
    castle_head = UserFactory(email="head.castle@symphony.example")
    MembershipFactory(user=castle_head, school=personas.castle, role=Role.STAFF)
    head_of(personas.brook, personas.governor)
    head_of(personas.castle, castle_head)
    run_later(django_capture_on_commit_callbacks)

    (brook,) = escalations_to(personas.governor.email)
    assert "2 people in your school have been outstanding" in brook.subject
    assert "Brook Primary School" in brook.body and "Castle Academy" not in brook.body
    assert personas.dt_castle.get_full_name() not in brook.body and "Mabel Meadowsweet" not in brook.body
    (castle,) = escalations_to(castle_head.email)
    assert "Castle Academy" in castle.body and personas.dt_castle.get_full_name() in castle.body
    assert personas.governor.get_full_name() not in castle.body


def test_a_head_teacher_who_has_left_or_is_deactivated_is_not_emailed(
    personas, world, django_capture_on_commit_callbacks
):
    leaver = UserFactory(email="left.head@symphony.example")
    MembershipFactory(user=leaver, school=personas.castle, role=Role.STAFF, ended_on=timezone.localdate())
    deactivated = UserFactory(email="deactivated.head@symphony.example")
    MembershipFactory(user=deactivated, school=personas.meadow, role=Role.STAFF)
    head_of(personas.castle, leaver)
    head_of(personas.meadow, deactivated)
    deactivated.is_active = False
    deactivated.save()
    moved_on = UserFactory(email="moved.head@symphony.example")
    MembershipFactory(user=moved_on, school=personas.brook, role=Role.STAFF, ended_on=timezone.localdate())
    MembershipFactory(user=moved_on, school=personas.castle, role=Role.STAFF)  # still here, but not at brook
    head_of(personas.brook, moved_on)
    record = run_later(django_capture_on_commit_callbacks)

    recipients = {address for m in mail.outbox for address in m.to}
    assert not recipients & {leaver.email, deactivated.email}
    assert not escalations_to(moved_on.email)
    assert len(escalations_to(personas.head.email)) == 1
    assert record.escalations_sent == 1


def test_nobody_overdue_means_no_head_digest(personas, world, django_capture_on_commit_callbacks):
    head_of(personas.brook, personas.dt)
    record = run_later(django_capture_on_commit_callbacks, days=1)
    assert record.people_outstanding > 0 and record.reminders_sent > 0  # outstanding, but not yet overdue
    assert not escalations_to(personas.dt.email)
    assert record.escalations_sent == 0


def test_head_digests_are_sent_only_after_the_run_commits(personas, world, django_capture_on_commit_callbacks):
    head_of(personas.brook, personas.dt)
    with travel(timezone.now() + timedelta(days=20), tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            call_command("send_briefing_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == [] and callbacks  # (the dashboards' copies are renewed on commit too)
    for callback in callbacks:
        callback()  # the commit: the head's digest goes with it
    assert len(escalations_to(personas.dt.email)) == 1


def test_the_trust_administrator_sets_a_schools_head_teacher_in_the_admin(client, personas):
    sign_in(client, personas.admin)
    from django.urls import reverse

    url = reverse("schools:edit", args=[personas.brook.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Head teacher" in page.content.decode()
    response = client.post(
        url,
        {
            "name": personas.brook.name,
            "slug": personas.brook.slug,
            "urn": personas.brook.urn,
            "local_authority": personas.brook.local_authority,
            "head_teacher": personas.dt.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    personas.brook.refresh_from_db()
    assert personas.brook.head_teacher == personas.dt
