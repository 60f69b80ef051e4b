from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from casework.audit import ChainBroken, anchor_verified


class Command(BaseCommand):
    help = (
        "Check the case audit log, then anchor its newest entry: an AuditAnchor row and the log line "
        "'case_audit_anchor id=… hash=… at=…' (logger casework.audit.anchor). Run it daily (cron or a timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the run as a background task instead of running it now."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from casework.tasks import anchor_case_audit

            result = anchor_case_audit.enqueue()
            self.stdout.write(f"Queued the anchoring of the case audit log (task {result.id}).")
            return
        try:
            anchor = anchor_verified()
        except (ChainBroken, ImproperlyConfigured) as exc:
            raise CommandError(f"Not anchored: {exc}") from exc
        if anchor is None:
            self.stdout.write("The case audit log has no entries yet: nothing to anchor.")
            return
        self.stdout.write(self.style.SUCCESS(f"Anchored the case audit log: {anchor.log_line()}"))
