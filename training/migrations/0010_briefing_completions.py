"""The briefing's index of who has done which version of what (training.BriefingCompletion), filled from
every read receipt and training completion made so far (training/briefing_completions.py)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_from_receipts(apps, schema_editor):
    from training.briefing_completions import rebuild

    rebuild(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0009_reminder_digest_log_and_schedule'),
        ('policy', '0005_second_approver_task'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BriefingCompletion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version_number', models.PositiveIntegerField()),
                ('done_at', models.DateTimeField()),
                ('on_paper', models.BooleanField(default=False)),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.WAGTAIL_PAGE_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('page', 'version_number', 'user'), name='one_briefing_completion_per_person_and_version')],
            },
        ),
        migrations.RunPython(fill_from_receipts, migrations.RunPython.noop),
    ]
