"""Delete the casework records whose retention date has passed (a dry run unless --delete).

Names records by id and school only (no child's name), like `retention_report`. A legal hold always
stops deletion. A record whose stored files could not all be deleted is kept, reported, and makes the
command fail, so a scheduled run is noticed; run it again once storage is back.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework import retention


def _files(n: int) -> str:
    return f"{n} stored file{'' if n == 1 else 's'}"


class Command(BaseCommand):
    help = "Delete casework records past their retention date and not on legal hold (dry run unless --delete)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Delete for real. Without it, only list what would be deleted."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue `apply_retention --delete` as the background task casework.tasks.apply_retention (daily).",
        )

    def handle(self, *args, delete, enqueue=False, **options):
        if enqueue:
            from casework.tasks import apply_retention

            result = apply_retention.enqueue()
            self.stdout.write(f"Queued the retention run (task {result.id}).")
            return
        today = timezone.localdate()
        due, held = retention.children_due(today)
        for child in held:
            self.stdout.write(f"Child {child.pk} ({child.school.name}): on legal hold, kept.")
        documents = retention.documents_due(today)
        if not due and not documents:
            self.stdout.write(f"No records are due for deletion on {today:%d %B %Y}.")
            return
        kept = 0
        for document in documents:
            document_id = document.pk
            outcome = retention.apply_document(document, delete=delete)
            where = (
                f"Document {document_id} of child {outcome.child_id} ({outcome.school}, pupil file kept until "
                f"{outcome.kept_until:%Y-%m-%d}; the SEN file stays)"
            )
            if outcome.held:
                self.stdout.write(f"{where}: on legal hold, kept.")
            elif not delete:
                self.stdout.write(f"{where}: would be deleted.")
            elif outcome.deleted:
                self.stdout.write(self.style.SUCCESS(f"{where}: deleted."))
            else:
                kept += 1
                self.stderr.write(f"{where}: NOT deleted, {outcome.failed[0]}.")
        for child in due:
            outcome = retention.apply(child, delete=delete)
            where = f"Child {outcome.child_id} ({outcome.school}, kept until {outcome.kept_until:%Y-%m-%d})"
            if outcome.held:
                self.stdout.write(f"{where}: on legal hold, kept.")
            elif not delete:
                self.stdout.write(f"{where}: would be deleted with {_files(len(outcome.files))}.")
            elif outcome.deleted:
                self.stdout.write(self.style.SUCCESS(f"{where}: deleted with {_files(len(outcome.files))}."))
            else:
                kept += 1
                reason = outcome.problem or (
                    f"{len(outcome.failed)} of {_files(len(outcome.files))} could not be deleted from storage"
                )
                self.stderr.write(f"{where}: NOT deleted, {reason}.")
                for failure in outcome.failed:
                    self.stderr.write(f"  {failure}")
        if not delete:
            self.stdout.write("Dry run: nothing was deleted. Run again with --delete to delete these records.")
        if kept:
            raise CommandError(f"{kept} record{'s' if kept > 1 else ''} kept because deleting failed: see above.")
