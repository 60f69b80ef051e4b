from django.core.management.base import BaseCommand

from policy.reviews import send_review_reminders


class Command(BaseCommand):
    help = "Email each policy owner and the executive head the policies due for review within 28 days or overdue."

    def handle(self, *args, **options):
        sent = send_review_reminders()
        self.stdout.write(f"Sent {sent} review reminders.")
