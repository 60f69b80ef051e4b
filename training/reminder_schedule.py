"""The reminders' schedule (Settings → Training and briefing → Reminders), kept by the task worker.

`scheduled_briefing_reminders` (training/tasks.py) runs the reminders when a slot is due, then queues
itself again for the next slot with django-tasks' `run_after`, so one queued task is always waiting.
`manage.py schedule_briefing_reminders` queues the first one (idempotent). A slot is a working day
(weekly: the chosen weekday) from the chosen hour. Running twice on one day sends nobody a second
digest (training.models.ReminderDigest), so a repeated or overlapping run is harmless.
"""

import datetime as dt

from django.utils import timezone

from trust.school_days import is_working_day

from .models import ReminderRun, TrainingSettings


def is_reminder_day(config, day: dt.date) -> bool:
    if not is_working_day(day):
        return False
    return (
        config.reminder_frequency == TrainingSettings.Frequency.WORKING_DAYS or day.weekday() == config.reminder_weekday
    )


def slot_on(config, day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(config.reminder_hour)))


def next_slot(config, after: dt.datetime) -> dt.datetime:
    """The first slot strictly after `after`."""
    day = timezone.localdate(after)
    for _ in range(400):
        if is_reminder_day(config, day) and slot_on(config, day) > after:
            return slot_on(config, day)
        day += dt.timedelta(days=1)
    raise ValueError("No reminder day in the next 400 days")  # pragma: no cover - a working day always comes


def is_due(config, now: dt.datetime) -> bool:
    """Today is a reminder day, its hour has come, and no scheduled run has been made today."""
    today = timezone.localdate(now)
    if not is_reminder_day(config, today) or now < slot_on(config, today):
        return False
    return not ReminderRun.objects.filter(
        triggered_by=ReminderRun.Trigger.SCHEDULE, started_at__date=today, skipped_reason=""
    ).exists()


def queued_runs(task):
    """Scheduled runs waiting in the database queue (none when the backend keeps no queue)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is in requirements
        return []
    from django_tasks.base import TaskResultStatus

    return DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)


def schedule_next(task, now=None):
    """Queue `task` for the next slot unless one is already waiting; None when the backend cannot defer."""
    now = now or timezone.now()
    if not task.get_backend().supports_defer:
        return None
    if queued_runs(task).filter(run_after__gt=now).exists():
        return None
    return task.using(run_after=next_slot(TrainingSettings.current(), now)).enqueue()
