"""The executive head and trust administrators may view reminder runs (nobody may change them)."""

from django.db import migrations

GROUPS = ["Executive head", "Trust administrators"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="training", model="reminderrun")
    perm, _ = Permission.objects.get_or_create(
        content_type=ct, codename="view_reminderrun", defaults={"name": "Can view reminder run"}
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(perm)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    perm = Permission.objects.filter(content_type__app_label="training", codename="view_reminderrun").first()
    if perm:
        for group in Group.objects.filter(name__in=GROUPS):
            group.permissions.remove(perm)


class Migration(migrations.Migration):
    dependencies = [("training", "0002_settings_permissions")]
    operations = [migrations.RunPython(grant, revoke)]
