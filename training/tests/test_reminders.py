from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from time_machine import travel

from policy.tests.factories import make_policy
from training.models import ReminderRun, TrainingSettings
from training.tests.briefing_helpers import acknowledge, complete, staff_module
from trust.enums import Role
from trust.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    policies = [make_policy("Children in Care policy"), make_policy("Attendance policy")]
    module = staff_module("Safeguarding essentials")
    for policy in policies:
        acknowledge(personas.staff, policy)
    complete(personas.staff, module)
    return {"policies": policies, "module": module}


def digests_to(email):
    return [m for m in mail.outbox if m.to == [email] and "to read or complete" in m.subject]


def run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_briefing_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return ReminderRun.objects.latest()


def test_each_outstanding_person_gets_one_digest_listing_everything_with_links(
    personas, world, django_capture_on_commit_callbacks
):
    record = run(django_capture_on_commit_callbacks)
    (digest,) = digests_to(personas.dt.email)  # two policies and a module: still one email
    assert "Children in Care policy" in digest.body and "Attendance policy" in digest.body
    assert "Safeguarding essentials" in digest.body
    assert "http://testserver/policies/children-in-care-policy/" in digest.body
    assert "http://testserver/training/safeguarding-essentials/" in digest.body
    assert not digests_to(personas.staff.email)  # briefed
    assert len(digests_to(personas.governor.email)) == 1
    assert record.reminders_sent == record.people_outstanding == len([m for m in mail.outbox if "to read" in m.subject])


def test_nobody_who_has_left_is_emailed(personas, world, django_capture_on_commit_callbacks):
    left = UserFactory(email="left@symphony.example")
    MembershipFactory(user=left, school=personas.brook, ended_on=timezone.localdate())
    deactivated = UserFactory(email="deactivated@symphony.example", is_active=False)
    MembershipFactory(user=deactivated, school=personas.brook)
    run(django_capture_on_commit_callbacks)
    recipients = {address for m in mail.outbox for address in m.to}
    assert "left@symphony.example" not in recipients
    assert "deactivated@symphony.example" not in recipients
    assert personas.nobody.email not in recipients


def test_emails_are_sent_only_after_the_run_commits(personas, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("send_briefing_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    for callback in callbacks:  # the run's emails, and the dashboards' copies renewed on commit
        callback()
    assert mail.outbox


def test_the_executive_head_gets_one_escalation_digest_for_people_overdue(
    personas, world, django_capture_on_commit_callbacks
):
    with travel(timezone.now() + timedelta(days=20), tick=False):
        record = run(django_capture_on_commit_callbacks)
    escalations = [m for m in mail.outbox if m.to == [personas.head.email] and "outstanding for over" in m.subject]
    assert len(escalations) == 1
    assert personas.governor.get_full_name() in escalations[0].body
    assert personas.staff.get_full_name() not in escalations[0].body
    assert record.escalations_sent == 1 and record.people_escalated == record.people_outstanding


def test_nobody_is_escalated_before_the_configured_number_of_days(personas, world, django_capture_on_commit_callbacks):
    from wagtail.models import Site

    config = TrainingSettings.for_site(Site.objects.get(is_default_site=True))
    config.escalate_after_days = 30
    config.save()
    with travel(timezone.now() + timedelta(days=20), tick=False):
        record = run(django_capture_on_commit_callbacks)
    assert record.escalations_sent == 0
    assert not [m for m in mail.outbox if m.to == [personas.head.email] and "outstanding for over" in m.subject]


def test_a_new_starter_is_not_escalated_for_what_was_published_before_they_joined(
    personas, world, django_capture_on_commit_callbacks
):
    later = timezone.localdate() + timedelta(days=19)
    newcomer = UserFactory(email="new@symphony.example")
    MembershipFactory(user=newcomer, school=personas.castle, role=Role.STAFF, started_on=later)
    with travel(timezone.now() + timedelta(days=20), tick=False):
        run(django_capture_on_commit_callbacks)
    escalation = next(m for m in mail.outbox if m.to == [personas.head.email])
    assert newcomer.get_full_name() not in escalation.body
    assert digests_to("new@symphony.example")


def test_switched_off_reminders_send_nothing_and_say_why(personas, world, django_capture_on_commit_callbacks):
    from wagtail.models import Site

    config = TrainingSettings.for_site(Site.objects.get(is_default_site=True))
    config.reminders_enabled = False
    config.save()
    record = run(django_capture_on_commit_callbacks)
    assert mail.outbox == [] and "switched off" in record.skipped_reason


def test_the_reminders_also_run_as_a_background_task(personas, world, django_capture_on_commit_callbacks):
    from training.tasks import send_briefing_reminders

    with django_capture_on_commit_callbacks(execute=True):
        result = send_briefing_reminders.enqueue()
    record = ReminderRun.objects.get(pk=result.return_value)
    assert record.triggered_by == ReminderRun.Trigger.TASK
    assert len(digests_to(personas.governor.email)) == 1


def test_finding_outstanding_people_takes_the_same_queries_for_few_and_many(personas, world, django_assert_num_queries):
    from training.reminders import outstanding_people

    outstanding_people()
    with django_assert_num_queries(9) as few:
        outstanding_people()
    for n in range(40):
        MembershipFactory(user=UserFactory(email=f"many{n}@symphony.example"), school=personas.meadow)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(outstanding_people()) > 40
