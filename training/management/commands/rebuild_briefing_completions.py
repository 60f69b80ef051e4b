from django.core.management.base import BaseCommand

from training.briefing_cache import bump
from training.briefing_completions import rebuild


class Command(BaseCommand):
    help = "Make the briefing's index of who has done which version of what again from every receipt."

    def handle(self, *args, **options):
        made = rebuild()
        bump()  # a cached report may have counted the index as it was
        self.stdout.write(f"{made} briefing completions made from the receipts.")
