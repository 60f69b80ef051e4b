from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trust.invitations import send_invitations
from trust.models import School
from trust.staff_import import apply_plan, plan_import


class Command(BaseCommand):
    help = (
        "Import a school's staff list from CSV (columns: email, first_name, last_name, roles, job_title). "
        "Prints who will be added, changed and deactivated; --dry-run saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("school", help="The school's slug, e.g. brook.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Show the preview only; save nothing.")
        parser.add_argument(
            "--confirm-deactivations",
            type=int,
            metavar="N",
            help="Needed when more than a tenth of the school's staff would be deactivated: the number the preview shows.",
        )

    def handle(self, *args, school, file, dry_run, confirm_deactivations, **options):
        try:
            target = School.objects.get(slug=school)
        except School.DoesNotExist as exc:
            raise CommandError(f"No school with the slug '{school}'.") from exc
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        plan = plan_import(target, text)
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing was imported: {len(plan.errors)} rows need correcting.")
        for line in plan.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
            return
        count = len(plan.deactivated)
        if plan.needs_deactivation_tick and confirm_deactivations != count:
            raise CommandError(
                f"Nothing was imported: {count} of the {plan.current_staff} people at {target.name} would be "
                f"deactivated, more than a tenth. Run again with --confirm-deactivations {count} if that is right."
            )
        result = apply_plan(plan)
        sent = send_invitations(result.new_users, target)
        self.stdout.write(f"{target.name}: {plan.summary()} {sent}")
