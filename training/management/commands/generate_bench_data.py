import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from training.bench_data import generate


class Command(BaseCommand):
    help = "Generate a large trust for benchmarks (bench-* schools, @bench.example people). Never in production."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=50)
        parser.add_argument("--staff-per-school", type=int, default=100)
        parser.add_argument("--policies", type=int, default=20)
        parser.add_argument("--versions", type=int, default=3)
        parser.add_argument("--children-per-school", type=int, default=10)
        parser.add_argument("--share-done", type=float, default=0.8, help="Share of people who have done each item.")

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_ALLOWED", False):
            raise CommandError("Bench data is never generated under production settings.")
        for name in ("schools", "staff_per_school", "policies", "versions", "children_per_school"):
            if options[name] < 0 or (name == "versions" and options[name] < 1):
                raise CommandError(f"--{name.replace('_', '-')} must be a positive number.")
        started = time.monotonic()
        with transaction.atomic():
            figures = generate(
                schools=options["schools"],
                staff_per_school=options["staff_per_school"],
                policies=options["policies"],
                versions=options["versions"],
                children_per_school=options["children_per_school"],
                share=options["share_done"],
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{figures.schools} schools, {figures.people} people, {figures.policies} policies "
                f"({figures.versions} versions), {figures.receipts} receipts, {figures.modules} modules, "
                f"{figures.completions} completions, {figures.children} children "
                f"in {time.monotonic() - started:.1f}s."
            )
        )
