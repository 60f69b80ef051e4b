"""Each role is a Django group, created here so every environment has the same ones."""

from django.db import migrations

GROUPS = {
    "Staff": [],
    "Governors": [],
    "Designated teachers": [("wagtailadmin", "access_admin")],
    "Executive head": [("wagtailadmin", "access_admin")],
    "Trust administrators": [
        ("wagtailadmin", "access_admin"),
        ("auth", "add_user"),
        ("auth", "change_user"),
        ("auth", "view_user"),
        ("trust", "add_school"),
        ("trust", "change_school"),
        ("trust", "view_school"),
        ("trust", "add_membership"),
        ("trust", "change_membership"),
        ("trust", "delete_membership"),
        ("trust", "view_membership"),
    ],
}


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name, perms in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            model = codename.split("_", 1)[1]
            if app_label == "wagtailadmin":
                ct, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
            else:
                ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            perm, _ = Permission.objects.get_or_create(
                content_type=ct, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
            )
            group.permissions.add(perm)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
