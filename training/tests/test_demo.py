import pytest
from django.core.management import call_command

from conftest import sign_in
from training.models import TrainingCompletion, TrainingIndexPage, TrainingModulePage

pytestmark = pytest.mark.django_db


def test_the_demo_trust_loads_twice_and_its_governor_sees_their_schools_briefing(client, settings):
    settings.DEMO_ALLOWED = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    completions = TrainingCompletion.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert TrainingIndexPage.objects.count() == 1 and TrainingModulePage.objects.count() == 3
    assert TrainingCompletion.objects.count() == completions > 0
    from django.contrib.auth import get_user_model

    governor = get_user_model().objects.get(username="governor.brook@symphony.example")
    sign_in(client, governor)
    html = client.get("/briefing/brook/").content.decode()
    assert "Children in Care" in html and "Personal Education Plans for designated teachers" in html
    module = TrainingModulePage.objects.get(slug="children-in-care-essentials")
    assert module.related_pages.exists()


def test_the_demo_shows_reminders_and_escalations_to_the_head_and_each_head_teacher(
    client, settings, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model
    from django.core import mail

    from training.models import ReminderDigest

    settings.DEMO_ALLOWED = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - again: nobody emailed twice
    escalated_to = set(
        ReminderDigest.objects.filter(kind=ReminderDigest.Kind.ESCALATION).values_list("user__username", flat=True)
    )
    assert {"head@symphony.example", "dt.brook@symphony.example", "dt.castle@symphony.example"} <= escalated_to
    assert len([m for m in mail.outbox if m.to == ["head@symphony.example"] and "outstanding for over" in m.subject]) == 1
    reminded = ReminderDigest.objects.filter(kind=ReminderDigest.Kind.REMINDER)
    assert reminded.count() == reminded.values("user").distinct().count() > 0
    head = get_user_model().objects.get(username="head@symphony.example")
    sign_in(client, head)
    html = client.get("/briefing/reminders/").content.decode()
    assert "Escalation to a head" in html and "Reminder digest" in html
