"""The policy and guidance index pages, the approval workflow and the executive head's page permissions.

Editors submit; the "Executive head" group approves and publishes. Every environment gets the same.
"""

from django.db import migrations
from django.utils import timezone

INDEXES = [
    ("policyindexpage", "Policies", "policies", "The trust's policies. Read each one that applies to you and acknowledge the current version."),
    ("guidanceindexpage", "DfE guidance", "guidance", "Statutory guidance from the Department for Education that the trust's policies rely on."),
]
WORKFLOW_NAME = "Policy approval"
TASK_NAME = "Executive head approval"
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _next_child_path(Page, parent):
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    number = int(last.path[-STEPLEN:], 36) + 1 if last else 1
    digits = ""
    while number:
        number, rem = divmod(number, 36)
        digits = ALPHABET[rem] + digits
    return parent.path + digits.rjust(STEPLEN, "0")


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("home", "HomePage")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    home = HomePage.objects.first()
    if home is None:
        return  # no portal home yet: policy.setup.ensure_structure() does this later
    home = Page.objects.get(pk=home.pk)
    now = timezone.now()
    indexes = []
    for model_name, title, slug, intro in INDEXES:
        Model = apps.get_model("policy", model_name)
        existing = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1, slug=slug).first()
        if existing:
            indexes.append(existing)
            continue
        content_type, _ = ContentType.objects.get_or_create(app_label="policy", model=model_name)
        page = Model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            intro=intro,
            content_type=content_type,
            path=_next_child_path(Page, home),
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{slug}/",
            locale_id=home.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
        )
        home.numchild += 1
        home.save(update_fields=["numchild"])
        indexes.append(Page.objects.get(pk=page.pk))

    head, _ = Group.objects.get_or_create(name="Executive head")
    page_ct, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    for codename in PAGE_PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=page_ct, codename=codename, defaults={"name": f"Can {codename.replace('_page', '')} page"}
        )
        for index in indexes:
            GroupPagePermission.objects.get_or_create(group=head, page=index, permission=permission)

    task_ct, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_ct, active=True)
    task.groups.add(head)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for index in indexes:
        WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("policy", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("trust", "0002_role_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
