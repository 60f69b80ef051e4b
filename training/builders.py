"""Building training pages in code: used by the demo loader and the tests' factories."""

from wagtail.models import Page
from wagtail.rich_text import RichText

from trust.site_home import home_page

from .models import TrainingIndexPage, TrainingModuleAudience, TrainingModulePage

EDITOR_GROUP = "Executive head"
EDITOR_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def ensure_training_index(title="Training") -> TrainingIndexPage:
    """The /training/ page under the home page, created once; the executive head may write under it."""
    index = TrainingIndexPage.objects.first()
    if index is None:
        home = home_page() or Page.objects.get(depth=1)
        index = TrainingIndexPage(
            title=title,
            slug="training",
            intro="<p>Training the trust asks you to complete. Each module gives you a receipt.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    _grant_editing(index)
    return index


def _grant_editing(index):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    for codename in EDITOR_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)


def question(text, options, correct_option):
    return ("question", {"question": text, "options": list(options), "correct_option": correct_option})


def build_module(
    parent,
    title,
    *,
    roles,
    slug=None,
    summary="",
    paragraphs=(),
    questions=(),
    minutes=15,
    required=True,
    publish=True,
    related=(),
):
    from .models import TrainingRelatedPage

    module = TrainingModulePage(
        title=title,
        slug=slug or None,
        summary=summary or title,
        body=[("paragraph", RichText(f"<p>{p}</p>")) for p in paragraphs] or [("paragraph", RichText("<p>.</p>"))],
        comprehension_check=list(questions),
        estimated_minutes=minutes,
        is_required=required,
        audience=[TrainingModuleAudience(role=r) for r in roles],
        related_pages=[TrainingRelatedPage(page=p) for p in related],
    )
    if not module.slug:
        from django.utils.text import slugify

        module.slug = slugify(title)[:50]
    parent.add_child(instance=module)
    revision = module.save_revision()
    if publish:
        revision.publish()
    else:
        module.live = False
        Page.objects.filter(pk=module.pk).update(live=False)
    module.refresh_from_db()
    return module
