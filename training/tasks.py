from django_tasks import task

from .models import ReminderRun
from .reminders import run_reminders


@task()
def send_briefing_reminders() -> int:
    """The reminders as a background task (django-tasks; the database backend in production)."""
    return run_reminders(ReminderRun.Trigger.TASK).pk
