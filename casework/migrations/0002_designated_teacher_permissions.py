"""Designated teachers get the casework model permissions; the PermissionHelper narrows them to their schools."""

from django.db import migrations

MODELS = [
    "child", "cohortchange", "localauthority", "pep", "pepstatuschange", "target", "targetprogress",
    "linkedplan", "review", "activity", "casedocument", "transition", "deadlinerule",
]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="Designated teachers")
    for model in MODELS:
        ct, _ = ContentType.objects.get_or_create(app_label="casework", model=model)
        for action in ACTIONS:
            perm, _ = Permission.objects.get_or_create(
                content_type=ct, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
            )
            group.permissions.add(perm)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Designated teachers").first()
    if group:
        group.permissions.remove(*group.permissions.filter(content_type__app_label="casework"))


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("trust", "0002_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
