from django.core.management.base import BaseCommand

from training.reminders import run_reminders


class Command(BaseCommand):
    help = "Email one digest to each person with anything outstanding, and escalate the long-outstanding."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the run as a background task instead of running it now."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from training.tasks import send_briefing_reminders

            result = send_briefing_reminders.enqueue()
            self.stdout.write(f"Queued the reminders (task {result.id}).")
            return
        run = run_reminders()
        if run.skipped_reason:
            self.stdout.write(run.skipped_reason)
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{run.people_outstanding} people with something outstanding: {run.reminders_sent} digests sent; "
                f"{run.people_escalated} people escalated in {run.escalations_sent} emails to the executive head."
            )
        )
