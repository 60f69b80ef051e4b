from django.conf import settings
from django.db import models


class ReminderRun(models.Model):
    """One run of the briefing reminders, with its figures."""

    class Trigger(models.TextChoices):
        COMMAND = "command", "Management command"
        TASK = "task", "Background task"
        SCHEDULE = "schedule", "Scheduled run"
        BUTTON = "button", "Send reminders now"

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    triggered_by = models.CharField(max_length=16, choices=Trigger.choices, default=Trigger.COMMAND)
    people_outstanding = models.PositiveIntegerField(default=0)
    reminders_sent = models.PositiveIntegerField(default=0)
    escalations_sent = models.PositiveIntegerField(default=0)
    people_escalated = models.PositiveIntegerField(default=0)
    skipped_reason = models.CharField(max_length=200, blank=True)
    already_reminded = models.PositiveIntegerField(
        default=0, help_text="People outstanding who had already had their digest that day (not emailed again)."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who pressed Send reminders now (empty for a scheduled run).",
    )
    scope = models.CharField(max_length=200, blank=True, help_text="The schools it covered; empty: every school.")

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"Reminders {self.started_at:%Y-%m-%d %H:%M}: {self.reminders_sent} sent"


class ReminderDigest(models.Model):
    """Every reminder or escalation email sent: to whom, when, why and for what.

    One of each kind per person per day: the unique constraint makes a second press of "Send reminders
    now", or a scheduled run repeating, send that person nothing more that day, even when two runs race.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder digest"
        ESCALATION = "escalation", "Escalation to a head"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminder_digests")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REMINDER)
    sent_on = models.DateField(help_text="The day it was sent (the trust's time zone).")
    sent_at = models.DateTimeField()
    run = models.ForeignKey(ReminderRun, on_delete=models.PROTECT, related_name="digests")
    reason = models.CharField(max_length=16, choices=ReminderRun.Trigger.choices)
    items = models.JSONField(default=list, help_text="What it was for: each item's title and version.")
    school_names = models.JSONField(default=list)

    class Meta:
        ordering = ["-sent_at", "user__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "sent_on"], name="one_digest_per_person_kind_and_day")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.user} on {self.sent_on}"
