"""Keeping `BriefingCompletion` (who has done which version of what) up to date as receipts arrive.

Each new read receipt (online or on paper) and each new training completion adds its row in the same
transaction, through a signal this app connects (briefing_signals.py), as it does for the briefing
generation: the policy app knows nothing of this table. Receipts are append-only, so rows are only ever
added. Whatever writes receipts without signals (bulk_create: the bench data) calls `rebuild()`, as does
the migration that made the table and `manage.py rebuild_briefing_completions`. The counts a version
and a week (training/briefing_tallies.py) and each person's done masks (training/briefing_done.py)
follow the rows through the database's own triggers.
"""

from itertools import islice

from django.apps import apps as installed_apps
from django.db import transaction

from trust.compiled_sql import compiled_insert

from . import briefing_tallies as tallies

BATCH = 2000

# Each receipt model: when it was done, and whether it can have been on paper.
SOURCES = {
    "policy.ReadReceipt": ("acknowledged_at", "on_paper"),
    "training.TrainingCompletion": ("completed_at", None),
}


def _fields(label, values) -> dict:
    moment, paper = SOURCES[label]
    return {
        "user_id": values["user_id"],
        "page_id": values["page_id"],
        "version_number": values["version_number"],
        "done_at": values[moment],
        "on_paper": bool(paper and values[paper]),
    }


def receipt_saved(sender, instance, created=False, **kwargs):
    """post_save of a receipt model in SOURCES: its row, in the receipt's own transaction."""
    if not created:
        return
    model = installed_apps.get_model("training", "BriefingCompletion")
    row = model(**_fields(sender._meta.label, instance.__dict__))
    # One receipt per person and version (each receipt table says so): a conflict is the row already made.
    compiled_insert(model, ignore_conflicts=True).insert(row, using=kwargs.get("using") or "default")


def rebuild(apps=installed_apps) -> int:
    """Every row again from the receipts (`apps`: a migration's historical models); returns how many."""
    model = apps.get_model("training", "BriefingCompletion")
    made = 0
    with transaction.atomic():
        model.objects.all().delete()
        tallies.clear(apps)  # counted again, row by row, by their triggers as the rows are made
        for label, (moment, paper) in SOURCES.items():
            source = apps.get_model(label)
            columns = ["user_id", "page_id", "version_number", moment] + ([paper] if paper else [])
            receipts = source._base_manager.order_by("pk").values(*columns).iterator(chunk_size=BATCH)
            while rows := [model(**_fields(label, values)) for values in islice(receipts, BATCH)]:
                made += len(model.objects.bulk_create(rows))
    return made
