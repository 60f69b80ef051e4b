from django.core.management.base import BaseCommand, CommandError

from casework.audit import verify_chain
from casework.models import CaseAuditEvent


class Command(BaseCommand):
    help = "Check the case audit log's hash chain and report the first altered or missing entry."

    def handle(self, *args, **options):
        problem = verify_chain()
        if problem:
            raise CommandError(problem.message)
        self.stdout.write(
            self.style.SUCCESS(f"The case audit log is intact ({CaseAuditEvent.objects.count()} entries).")
        )
