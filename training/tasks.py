from django.utils import timezone
from django_tasks import task

from .models import ReminderRun, TrainingSettings
from .reminders import run_reminders


@task()
def send_briefing_reminders() -> int:
    """The reminders as a background task (django-tasks; the database backend in production)."""
    return run_reminders(ReminderRun.Trigger.TASK).pk


@task()
def scheduled_briefing_reminders() -> int | None:
    """The scheduled reminders: run when a slot is due, then queue the next slot (training/reminder_schedule.py)."""
    from . import reminder_schedule

    now = timezone.now()
    run = None
    if reminder_schedule.is_due(TrainingSettings.current(), now):
        run = run_reminders(ReminderRun.Trigger.SCHEDULE, now=now)
    reminder_schedule.schedule_next(scheduled_briefing_reminders, now)
    return run.pk if run else None
