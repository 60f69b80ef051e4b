from django.db import models


class ReminderRun(models.Model):
    """One run of the briefing reminders, with its figures."""

    class Trigger(models.TextChoices):
        COMMAND = "command", "Management command"
        TASK = "task", "Background task"

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    triggered_by = models.CharField(max_length=16, choices=Trigger.choices, default=Trigger.COMMAND)
    people_outstanding = models.PositiveIntegerField(default=0)
    reminders_sent = models.PositiveIntegerField(default=0)
    escalations_sent = models.PositiveIntegerField(default=0)
    people_escalated = models.PositiveIntegerField(default=0)
    skipped_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"Reminders {self.started_at:%Y-%m-%d %H:%M}: {self.reminders_sent} sent"
