from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from trust.calendar_ical import CalendarImportError, import_calendar, read_calendar
from trust.models import School


class Command(BaseCommand):
    help = (
        "Import a school's term dates from an iCalendar (.ics) file. Prints the terms, INSET and closure days "
        "and each academic year's school-day count; refuses, with the reasons, what it cannot read for certain."
    )

    def add_arguments(self, parser):
        parser.add_argument("school", help="The school's slug, e.g. brook.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Print what would be imported; save nothing.")
        parser.add_argument("--replace", action="store_true", help="Replace the school's dates for the file's years.")
        parser.add_argument(
            "--leave-out-unclassified", action="store_true", help="Import without the events the file does not explain."
        )

    def handle(self, *args, school, file, dry_run, replace, leave_out_unclassified, **options):
        try:
            target = School.objects.get(slug=school)
        except School.DoesNotExist as exc:
            raise CommandError(f"No school with the slug '{school}'.") from exc
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            plan = read_calendar(data)
        except CalendarImportError as exc:
            raise CommandError(f"Nothing was imported: {exc}") from exc
        self.stdout.write(f"{target.name}:")
        for line in plan.lines():
            self.stdout.write(line)
        refusals = plan.refusals(ignore_unclassified=leave_out_unclassified)
        if refusals:
            raise CommandError("Nothing was imported: " + " ".join(refusals))
        if dry_run:
            self.stdout.write("Nothing was saved (--dry-run).")
            return
        try:
            with transaction.atomic():
                result = import_calendar(target, data, replace=replace, ignore_unclassified=leave_out_unclassified)
        except CalendarImportError as exc:
            raise CommandError(f"Nothing was imported: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - a model's validation names the clash; say it, save nothing
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise CommandError("Nothing was imported: " + " ".join(messages)) from exc
        self.stdout.write(
            f"Imported {result.terms} term parts, {result.inset_days} INSET days and {result.closure_days} closure days."
        )
