"""Designated teachers record a child's care episodes in the admin (add, change, view; never delete: history)."""

from django.db import migrations

ACTIONS = ["add", "change", "view"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="casework", model="careepisode")
    return [
        Permission.objects.get_or_create(
            content_type=ct, codename=f"{action}_careepisode", defaults={"name": f"Can {action} care episode"}
        )[0]
        for action in ACTIONS
    ]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    dts, _ = Group.objects.get_or_create(name="Designated teachers")
    dts.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Designated teachers"):
        group.permissions.remove(*group.permissions.filter(content_type__model="careepisode"))


class Migration(migrations.Migration):
    dependencies = [("casework", "0016_people_around_the_child_and_send_transfer")]

    operations = [migrations.RunPython(grant, revoke)]
