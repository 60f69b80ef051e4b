"""Go-live: `manage.py import_children <school-slug> <file.csv> --as <email>` (casework/child_import.py)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from casework.child_import import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, NotTheirSchool, PlanChanged, import_children
from trust.models import School


class Command(BaseCommand):
    help = (
        "Import (or update) a school's existing children and the date of each one's last PEP from CSV, all or nothing "
        f"(columns: {', '.join(REQUIRED_COLUMNS)}; optional: {', '.join(OPTIONAL_COLUMNS)}). "
        "Only the school's designated teacher may import its children."
    )

    def add_arguments(self, parser):
        parser.add_argument("school", help="The school's slug, e.g. brook.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="email", required=True, help="The designated teacher importing.")

    def handle(self, *args, school, file, email, **options):
        try:
            target = School.objects.get(slug=school)
        except School.DoesNotExist as exc:
            raise CommandError(f"No school with the slug '{school}'.") from exc
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account with the email {email}.")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            result = import_children(user, target, text)
        except NotTheirSchool as exc:
            raise CommandError(str(exc)) from exc
        except PlanChanged as exc:
            raise CommandError(
                "The children's records changed while importing: nothing was imported; run it again."
            ) from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing was imported: {len(result.errors)} lines need correcting.")
        with_pep = sum(1 for c in result.created if c.pep_before_portal_on)
        changed = f" {len(result.changed)} already on record changed." if result.changed else ""
        self.stdout.write(
            f"{target.name}: {len(result.created)} children imported, {with_pep} with a PEP from before the portal."
            + changed
        )
