from django.core.management.base import BaseCommand
from django.utils import timezone

from training.models import TrainingSettings
from training.reminder_schedule import next_slot, schedule_next


class Command(BaseCommand):
    help = "Queue the scheduled briefing reminders for the task worker (once; each run queues the next)."

    def handle(self, *args, **options):
        from training.tasks import scheduled_briefing_reminders

        if not scheduled_briefing_reminders.get_backend().supports_defer:
            self.stdout.write("This task backend cannot run tasks later: schedule send_briefing_reminders instead.")
            return
        result = schedule_next(scheduled_briefing_reminders)
        when = next_slot(TrainingSettings.current(), timezone.now())
        if result is None:
            self.stdout.write("The scheduled reminders are already queued.")
        else:
            self.stdout.write(f"Queued the scheduled reminders for {when:%A %-d %B %Y at %H:%M}.")
