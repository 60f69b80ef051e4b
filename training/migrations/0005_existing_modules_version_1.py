"""Modules published before versions were recorded become version 1, and so do their completions.

Every completion already written is of version 1: `0004` added `version_number` with 1 for each
existing row (adding a column fires no row trigger, so the append-only trigger on PostgreSQL stands).
This records version 1 for each published module so the current version of each is known.
"""

from django.db import migrations


def record_version_1(apps, schema_editor):
    TrainingModulePage = apps.get_model("training", "TrainingModulePage")
    TrainingVersion = apps.get_model("training", "TrainingVersion")
    TrainingCompletion = apps.get_model("training", "TrainingCompletion")
    # Checked, not changed: receipts are append-only.
    if TrainingCompletion.objects.exclude(version_number=1).exists():
        raise RuntimeError("Existing training completions must all be version 1.")
    recorded = set(TrainingVersion.objects.values_list("page_id", flat=True))
    rows = [
        TrainingVersion(
            page_id=module.pk,
            revision_id=module.live_revision_id,
            number=1,
            is_material=True,
            change_summary="First version (recorded when versions were introduced).",
            published_at=module.first_published_at or module.last_published_at,
        )
        for module in TrainingModulePage.objects.filter(live_revision__isnull=False).exclude(pk__in=recorded)
    ]
    for row in rows:
        if row.published_at is None:
            from django.utils import timezone

            row.published_at = timezone.now()
    TrainingVersion.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("training", "0004_module_versions")]

    operations = [migrations.RunPython(record_version_1, migrations.RunPython.noop)]
