from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from casework.audit import check_chain, parse_anchor


class Command(BaseCommand):
    help = (
        "Check the case audit log: every entry's HMAC and link, and every anchor (the portal's, and any given "
        "with --anchor) against the entries. Names the first altered, missing or cut-off entry; exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="ID:HASH",
            help="An anchor copied from the application log (id:hash, or the whole 'case_audit_anchor …' line) "
            "to check the log against. May be given more than once.",
        )

    def handle(self, *args, anchor=(), **options):
        try:
            given = [parse_anchor(text) for text in anchor]
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            report = check_chain(given)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if report.problem:
            raise CommandError(report.problem.message)
        self.stdout.write(self.style.SUCCESS(report.summary()))
