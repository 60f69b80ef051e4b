"""Building policies and publishing their versions in tests, the way an editor would."""

from policy.models import GuidanceIndexPage, GuidancePage, PolicyIndexPage, PolicyPage
from trust.enums import Role

DEFAULT_BODY = [
    {"type": "heading", "value": "Aim"},
    {"type": "paragraph", "value": "<p>Our aim is to promote aspirational, independent children.</p>"},
    {"type": "list", "value": {"numbered": False, "items": ["Staff are aware.", "Governors are aware."]}},
]
QUESTIONS = [
    {
        "type": "question",
        "value": {
            "question": "Within how many days must a PEP be in place?",
            "correct_answer": "20 school days",
            "other_answers": ["5 school days", "One term"],
            "hint": "Delivery",
        },
    },
    {
        "type": "question",
        "value": {
            "question": "Who is the designated teacher?",
            "correct_answer": "The head teacher",
            "other_answers": ["A governor"],
            "hint": "",
        },
    },
]
RIGHT_ANSWERS = {"question_1": "20 school days", "question_2": "The head teacher"}


def publish(page, user=None):
    revision = page.save_revision(user=user)
    revision.publish(user=user)
    page.refresh_from_db()
    return revision


def make_policy(title="Children in Care policy", *, body=None, questions=None, publish_it=True, user=None, **fields):
    index = PolicyIndexPage.objects.get()
    fields.setdefault("summary", "How the trust supports children in care.")
    fields.setdefault("audience_roles", [Role.STAFF, Role.GOVERNOR, Role.DESIGNATED_TEACHER])
    page = index.add_child(
        instance=PolicyPage(
            title=title,
            body=DEFAULT_BODY if body is None else body,
            comprehension_check=questions or [],
            live=publish_it,
            **fields,
        )
    )
    if publish_it:
        publish(page, user)
    else:
        page.save_revision(user=user)
    return PolicyPage.objects.get(pk=page.pk)


def choose_as_gate_policy(page):
    """What the executive head does in Settings → Casework gate: this policy gates casework."""
    from policy.models import CaseworkGateSettings

    settings = CaseworkGateSettings.load()
    settings.children_in_care_policy = page
    settings.save()
    return page


def make_guidance(title="Promoting the education of looked-after children", **fields):
    index = GuidanceIndexPage.objects.get()
    fields.setdefault("summary", "Statutory guidance for local authorities.")
    fields.setdefault("link_url", "https://www.gov.uk/government/publications/promoting-the-education-of-looked-after-children")
    page = index.add_child(instance=GuidancePage(title=title, **fields))
    publish(page)
    return GuidancePage.objects.get(pk=page.pk)


def publish_change(page, *, material, summary="Changed.", body=None, questions=None, user=None, **fields):
    page = type(page).objects.get(pk=page.pk)
    page.change_is_material = material
    page.change_summary = summary
    if body is not None:
        page.body = body
    if questions is not None:
        page.comprehension_check = questions
    for name, value in fields.items():
        setattr(page, name, value)
    revision = publish(page, user)
    return type(page).objects.get(pk=page.pk), revision
