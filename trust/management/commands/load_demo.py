from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app's demo content, in dependency order. Each module has `load()`; all are idempotent.
DEMO_LOADERS = ["trust.demo", "policy.demo", "training.demo", "casework.demo"]


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
        self.stdout.write(self.style.SUCCESS("The demo trust is ready. Password for every account: see README."))
