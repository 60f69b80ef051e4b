from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app's demo content, in dependency order. Each module has `load()`; all are idempotent.
DEMO_LOADERS = ["trust.demo", "policy.demo", "training.demo", "casework.demo"]


def index_live_pages() -> int:
    """Put every live page in the search index now.

    Saving a page only queues its indexing as a task; a fresh demo must be searchable before any worker has run.
    """
    from wagtail.models import Page
    from wagtail.search import index

    count = 0
    for page in Page.objects.live().specific().iterator():
        index.insert_or_update_object(page)
        count += 1
    return count


class Command(BaseCommand):
    help = "Load the Symphony Learning Trust demo (schools, accounts and content). Safe to run again."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_ALLOWED", False):
            raise CommandError("The demo trust is never loaded under production settings.")
        with transaction.atomic():
            for dotted in DEMO_LOADERS:
                try:
                    module = import_module(dotted)
                except ModuleNotFoundError as exc:
                    if exc.name != dotted:
                        raise
                    continue
                module.load()
                self.stdout.write(f"Loaded {dotted}")
            self.stdout.write(f"Indexed {index_live_pages()} live pages for search")
        self.stdout.write(self.style.SUCCESS("The demo trust is ready. Password for every account: see README."))
