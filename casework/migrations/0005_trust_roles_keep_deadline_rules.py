"""The executive head and the trust administrator keep the trust-wide and local authority deadline rules.

Only the deadlinerule permissions: no other casework model (DeadlineRulePermissionHelper narrows them).
"""

from django.db import migrations

GROUPS = ["Executive head", "Trust administrators"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="casework", model="deadlinerule")
    perms = [
        Permission.objects.get_or_create(
            content_type=ct, codename=f"{action}_deadlinerule", defaults={"name": f"Can {action} deadline rule"}
        )[0]
        for action in ACTIONS
    ]
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="casework"))


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0004_protect_case_records"),
        ("trust", "0002_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
