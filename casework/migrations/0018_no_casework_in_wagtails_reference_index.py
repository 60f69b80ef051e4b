"""Casework leaves Wagtail's reference index (casework/models/__init__.py says why): the rows written before go.

The index holds only ids and field names, and Wagtail rebuilds it from the records (`rebuild_references_index`),
which now skips casework: going back leaves it empty of casework, as a rebuild would.
"""

from django.db import migrations
from django.db.models import Q


def forget_casework(apps, schema_editor):
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    ReferenceIndex.objects.filter(
        Q(base_content_type__app_label="casework")
        | Q(content_type__app_label="casework")
        | Q(to_content_type__app_label="casework")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0017_designated_teachers_record_care_episodes"),
        ("wagtailcore", "0078_referenceindex"),
    ]

    operations = [migrations.RunPython(forget_casework, migrations.RunPython.noop)]
