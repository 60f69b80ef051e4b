"""The policy approval task becomes a SecondApproverTask (the submitter cannot approve their own change
while another approver exists), with a "Policy approvers" group beside the executive head, and the trust
administrator keeps the setting that allows an only approver to approve their own change.

Existing installs: the old GroupApprovalTask is renamed and deactivated, its workflows and the changes
in moderation on it move to the new task, and its finished history stays where it was.
"""

import django.db.models.deletion
from django.db import migrations, models

TASK_NAME = "Executive head approval"
OLD_TASK_NAME = "Executive head approval (before second approvers)"
APPROVERS = "Policy approvers"
HEAD = "Executive head"
ADMINS = "Trust administrators"  # trust.enums.GROUP_NAMES[Role.TRUST_ADMIN]


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})
    return permission


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    SecondApproverTask = apps.get_model("policy", "SecondApproverTask")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    TaskState = apps.get_model("wagtailcore", "TaskState")

    approvers, _ = Group.objects.get_or_create(name=APPROVERS)
    approvers.permissions.add(_permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"))
    admins, _ = Group.objects.get_or_create(name=ADMINS)
    admins.permissions.add(
        _permission(apps, "policy", "policyapprovalsettings", "change_policyapprovalsettings", "Can change Policy approval")
    )

    # Approving the last task publishes, which Wagtail checks against the approver's own page permissions.
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for grant in GroupPagePermission.objects.filter(group__name=HEAD, page__content_type__app_label="policy"):
        GroupPagePermission.objects.get_or_create(group=approvers, page_id=grant.page_id, permission_id=grant.permission_id)

    old = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if old is None:
        return  # a fresh database without a portal home: policy.setup.ensure_structure() creates the task
    content_type, _ = ContentType.objects.get_or_create(app_label="policy", model="secondapprovertask")
    task = SecondApproverTask.objects.create(name=TASK_NAME, content_type=content_type, active=True)
    task.groups.set([*old.groups.all(), approvers])
    WorkflowTask.objects.filter(task_id=old.pk).update(task_id=task.pk)
    TaskState.objects.filter(task_id=old.pk, status="in_progress").update(task_id=task.pk)
    old.name = OLD_TASK_NAME
    old.active = False
    old.save(update_fields=["name", "active"])


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('policy', '0004_evidence_triggers_no_session_can_switch_off'),
        ('trust', '0002_role_groups'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='PolicyApprovalSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('allow_self_approval_when_only_approver', models.BooleanField(default=False, help_text="Only when nobody else active holds the approver role. The page's history then says that the submitter approved it as the only approver.", verbose_name='Let the only approver approve their own change')),
            ],
            options={
                'verbose_name': 'Policy approval',
            },
        ),
        migrations.CreateModel(
            name='SecondApproverTask',
            fields=[
                ('task_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.task')),
                ('groups', models.ManyToManyField(help_text='Pages/snippets at this step in a workflow will be moderated or approved by these groups of users', to='auth.group', verbose_name='groups')),
            ],
            options={
                'verbose_name': 'Group approval task with a second approver',
                'verbose_name_plural': 'Group approval tasks with a second approver',
            },
            bases=('wagtailcore.task',),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
