"""Which children's school-held records have reached (or will soon reach) their retention date.

Pupil files are kept to date of birth + 25 years, SEN and EHCP files to + 31 years. A legal hold stops
any deletion. The report names records by id and school only (no child's name).
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from casework.models import Child


class Command(BaseCommand):
    help = "List casework records due for deletion under the retention schedule (ids only), and legal holds."

    def add_arguments(self, parser):
        parser.add_argument("--within-days", type=int, default=90, help="Include records due within this many days.")

    def handle(self, *args, within_days, **options):
        today = timezone.localdate()
        horizon = today + datetime.timedelta(days=within_days)
        rows = []
        for child in Child.objects.select_related("school").order_by("school__name", "pk"):
            until = child.retention_until()
            if until <= horizon or child.legal_hold:
                rows.append((child, until))
        if not rows:
            self.stdout.write(f"No records are due for deletion by {horizon:%d %B %Y}, and none is on legal hold.")
            return
        self.stdout.write("Child id\tSchool\tKeep until\tStatus")
        for child, until in rows:
            if child.legal_hold:
                status = "legal hold: do not delete"
            elif until <= today:
                status = "due for deletion"
            else:
                status = "due soon"
            self.stdout.write(f"{child.pk}\t{child.school.name}\t{until:%Y-%m-%d}\t{status}")
