"""Chasing: "Send reminders now", one digest per person per day however often pressed or run, the log."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import sign_in
from policy.tests.factories import make_policy
from training.models import ReminderDigest, ReminderRun
from training.tests.briefing_helpers import acknowledge
from trust.enums import Role
from trust.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLISHED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
MONDAY = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(personas):
    with time_machine.travel(PUBLISHED, tick=False):
        policy = make_policy("Children in Care policy")
        acknowledge(personas.staff, policy)
    return policy


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


def reminders_to(email):
    return [m for m in mail.outbox if m.to == [email] and "to read or complete" in m.subject]


def press(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/briefing/reminders/send/", data, follow=True)


def test_pressing_twice_in_a_day_sends_each_person_one_digest_and_says_how_many(
    client, personas, world, monday, django_capture_on_commit_callbacks
):
    sign_in(client, personas.head)
    first = press(client, django_capture_on_commit_callbacks).content.decode()
    # Outstanding: the governor, both designated teachers (the staff member acknowledged; the head and
    # the administrators are not in the audience).
    assert "Sent 3 reminder digests to people with something outstanding." in first
    assert len(reminders_to(personas.governor.email)) == 1 and not reminders_to(personas.staff.email)

    second = press(client, django_capture_on_commit_callbacks).content.decode()
    assert "Sent 0 reminder digests" in second
    assert "3 people had already been reminded today and were not emailed again." in second
    assert len(reminders_to(personas.governor.email)) == 1
    assert len(mail.outbox) == 3
    assert ReminderDigest.objects.count() == 3


def test_the_scheduled_run_after_a_press_sends_no_second_digest_that_day_but_does_the_next(
    client, personas, world, django_capture_on_commit_callbacks
):
    sign_in(client, personas.head)
    with time_machine.travel(MONDAY, tick=False):
        press(client, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_briefing_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
            call_command("send_briefing_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(reminders_to(personas.governor.email)) == 1
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_briefing_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(reminders_to(personas.governor.email)) == 2


def test_a_designated_teacher_reminds_only_their_own_schools(
    client, personas, world, monday, django_capture_on_commit_callbacks
):
    sign_in(client, personas.dt)
    html = press(client, django_capture_on_commit_callbacks, school="brook").content.decode()
    assert "Sent 2 reminder digests to people with something outstanding at Brook Primary School." in html
    assert reminders_to(personas.governor.email) and not reminders_to(personas.dt_castle.email)
    assert ReminderRun.objects.get().requested_by == personas.dt
    assert client.post("/briefing/reminders/send/", {"school": "castle"}).status_code == 404
    assert client.post("/briefing/reminders/send/", {"school": "nowhere"}).status_code == 404
    assert client.post("/briefing/reminders/send/", {"school": "brook\x00"}).status_code == 404
    assert client.post("/briefing/reminders/send/", {"school": "b" * 5000}).status_code == 404


@pytest.mark.parametrize("name", ["staff", "governor", "admin", "dpo", "nobody"])
def test_people_who_may_not_chase_are_refused(client, personas, world, monday, name):
    sign_in(client, getattr(personas, name))
    assert client.post("/briefing/reminders/send/").status_code == 403
    assert client.get("/briefing/reminders/").status_code == 403
    assert not mail.outbox and not ReminderRun.objects.exists()


def test_every_digest_is_logged_with_who_when_and_what_for_and_the_head_sees_it(
    client, personas, world, monday, django_capture_on_commit_callbacks
):
    sign_in(client, personas.dt)
    press(client, django_capture_on_commit_callbacks, school="brook")
    digest = ReminderDigest.objects.get(user=personas.governor)
    assert digest.reason == ReminderRun.Trigger.BUTTON and digest.sent_at == MONDAY
    assert digest.items[0]["title"] == "Children in Care policy" and digest.items[0]["version"] == "Version 1"
    client.logout()
    sign_in(client, personas.head)
    html = client.get("/briefing/reminders/").content.decode()
    assert personas.governor.get_full_name() in html and "Children in Care policy (Version 1)" in html
    assert f"Send reminders now by {personas.dt.get_full_name()}" in html
    assert "30 November 2026" in html
    client.logout()
    sign_in(client, personas.dt_castle)  # another school's digests are not theirs to read
    assert personas.governor.get_full_name() not in client.get("/briefing/reminders/").content.decode()


def test_escalations_are_logged_and_sent_once_a_day(personas, world, django_capture_on_commit_callbacks):
    later = PUBLISHED + dt.timedelta(days=30)
    with time_machine.travel(later, tick=False):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                call_command("send_briefing_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    escalations = [m for m in mail.outbox if m.to == [personas.head.email]]
    assert len(escalations) == 1 and personas.governor.get_full_name() in escalations[0].body
    logged = ReminderDigest.objects.get(kind=ReminderDigest.Kind.ESCALATION, user=personas.head)
    assert {entry["person"] for entry in logged.items} >= {personas.governor.get_full_name()}
    assert ReminderRun.objects.order_by("pk").last().escalations_sent == 0


def test_the_digest_log_takes_the_same_queries_for_few_and_many(
    client, personas, world, monday, django_capture_on_commit_callbacks, django_assert_num_queries
):
    sign_in(client, personas.head)
    press(client, django_capture_on_commit_callbacks)
    client.get("/briefing/reminders/")
    with CaptureQueriesContext(connection) as few:
        client.get("/briefing/reminders/")
    count = len(few.captured_queries)  # read now: each later request clears the log
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False):
        for n in range(30):
            user = UserFactory(email=f"chase{n}@symphony.example")
            MembershipFactory(user=user, school=personas.meadow, role=Role.STAFF)
        sign_in(client, personas.head)  # a day later: a fresh sign-in
        press(client, django_capture_on_commit_callbacks)
        assert ReminderDigest.objects.count() > 30
        with django_assert_num_queries(count):
            client.get("/briefing/reminders/")



def test_the_scheduled_run_goes_through_the_task_worker_once_a_day(
    personas, world, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    # The worker closes "old" connections between tasks; inside the test's transaction that would close
    # the test's own connection on PostgreSQL. In production it runs outside any transaction.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    from training.models import TrainingSettings
    from training.tasks import scheduled_briefing_reminders

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    config = TrainingSettings.current()
    config.reminder_frequency, config.reminder_hour = TrainingSettings.Frequency.WORKING_DAYS, 8
    config.save()
    quiet = open("/dev/null", "w")  # noqa: SIM115

    with time_machine.travel(dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC), tick=False):
        call_command("schedule_briefing_reminders", stdout=quiet)
        call_command("schedule_briefing_reminders", stdout=quiet)  # already queued: still one
    queued = DBTaskResult.objects.filter(task_path=scheduled_briefing_reminders.module_path)
    assert [r.run_after for r in queued] == [dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)]

    for minute in (5, 35):  # the worker comes round twice after the hour: one run, one digest each
        with time_machine.travel(dt.datetime(2026, 11, 30, 8, minute, tzinfo=dt.UTC), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                call_command("db_worker", "--batch", "--no-startup-delay", stdout=quiet, stderr=quiet)
    assert len(reminders_to(personas.governor.email)) == 1
    run = ReminderRun.objects.get()
    assert run.triggered_by == ReminderRun.Trigger.SCHEDULE and run.reminders_sent == 3
    waiting = queued.filter(status="READY")
    assert [r.run_after for r in waiting] == [dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)]  # Tuesday's slot
