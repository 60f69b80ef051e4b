from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trust.models import School
from trust.staff_import import import_staff


class Command(BaseCommand):
    help = "Import a school's staff list from CSV (columns: email, first_name, last_name, roles, job_title)."

    def add_arguments(self, parser):
        parser.add_argument("school", help="The school's slug, e.g. brook.")
        parser.add_argument("file", type=Path)

    def handle(self, *args, school, file, **options):
        try:
            target = School.objects.get(slug=school)
        except School.DoesNotExist as exc:
            raise CommandError(f"No school with the slug '{school}'.") from exc
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        result = import_staff(target, text)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing was imported: {len(result.errors)} rows need correcting.")
        self.stdout.write(f"{target.name}: {result.summary()}")
