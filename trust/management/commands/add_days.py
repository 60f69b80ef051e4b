import datetime

from django.core.management.base import BaseCommand, CommandError

from trust.models import School
from trust.school_days import DayUnit, MissingTermDates, add_days


class Command(BaseCommand):
    help = (
        "Count N school, working or calendar days after a date on a school's own calendar, as every deadline "
        "in the portal does (the day after the date is day one). Prints the resulting date as its last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("school", help="The school's slug, e.g. brook.")
        parser.add_argument("date", help="The day of the event, YYYY-MM-DD.")
        parser.add_argument("days", type=int)
        parser.add_argument("unit", choices=[unit.value for unit in DayUnit])

    def handle(self, *args, school, date, days, unit, **options):
        try:
            target = School.objects.get(slug=school)
        except School.DoesNotExist as exc:
            raise CommandError(f"No school with the slug '{school}'.") from exc
        try:
            start = datetime.date.fromisoformat(date)
        except ValueError as exc:
            raise CommandError(f"'{date}' is not a date written as YYYY-MM-DD.") from exc
        if days < 0:
            raise CommandError("The number of days must be zero or more.")
        try:
            result = add_days(target, start, days, unit)
        except MissingTermDates as exc:
            raise CommandError(
                f"{exc.school.name} has no term dates for {exc.academic_year}: import them first "
                f"(manage.py import_term_dates {target.slug} FILE.ics)."
            ) from exc
        except OverflowError as exc:
            raise CommandError("That count runs past the last date the calendar can hold.") from exc
        self.stdout.write(f"{days} {DayUnit(unit).label} after {start:%a %-d %b %Y}, at {target.name}:")
        self.stdout.write(result.isoformat())
