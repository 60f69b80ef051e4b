"""The demo trust's training: the /training/ page, three modules and LA training records. Idempotent."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from trust.enums import Role
from trust.models import School

from .builders import build_module, ensure_training_index, question
from .completion import complete_module
from .models import LocalAuthorityTraining, ReminderRun, TrainingModulePage, TrainingVersion

MODULES = [
    {
        "title": "Children in care: what every member of staff should know",
        "slug": "children-in-care-essentials",
        "roles": [Role.STAFF, Role.GOVERNOR, Role.DESIGNATED_TEACHER],
        "minutes": 20,
        "summary": "Who looked-after and previously looked-after children are, and how you support them in class.",
        "paragraphs": [
            "A looked-after child is in the care of a local authority. The Virtual School Head promotes their education.",
            "Every looked-after child has a Personal Education Plan (PEP), led in school by the designated teacher.",
            "Never share a child's care status in general staff lists: tell people on a need-to-know basis.",
        ],
        "questions": [
            question(
                "Who leads the PEP in school?",
                ["The class teacher", "The designated teacher", "The governor"],
                2,
            ),
            question(
                "May a child's care status appear in a general staff list?",
                ["Yes", "No, only need-to-know"],
                2,
            ),
        ],
    },
    {
        "title": "Personal Education Plans for designated teachers",
        "slug": "pep-essentials",
        "roles": [Role.DESIGNATED_TEACHER],
        "minutes": 45,
        "summary": "Writing SMART targets, costing Pupil Premium Plus and meeting the 20 school day deadline.",
        "paragraphs": [
            "The PEP must be in place within 20 school days of the child starting at the school.",
            "Targets are specific, measurable, achievable, relevant and time-bound, each with an owner.",
        ],
        "questions": [
            question("Within how many school days must the PEP be in place?", ["10", "20", "30"], 2),
        ],
    },
    {
        "title": "Governors: monitoring the education of children in care",
        "slug": "governor-monitoring",
        "roles": [Role.GOVERNOR],
        "minutes": 15,
        "summary": "What the designated teacher's annual report tells you and the questions to ask.",
        "paragraphs": ["Reports to governors never name a child. Governors monitor; they do not read case files."],
        "questions": [],
    },
]


# Pages the policy demo makes (found by slug: training does not import policy).
RELATED = {
    "children-in-care-essentials": ["children-in-care"],
    "pep-essentials": ["children-in-care", "designated-teacher-for-looked-after-children"],
}


def _related_pages(module_slug):
    """The demo's policy and guidance pages this module supports, when the policy demo made them."""
    from wagtail.models import Page

    return list(Page.objects.filter(slug__in=RELATED.get(module_slug, [])).order_by("path"))


def _completions(modules):
    """Most staff have done the essentials; two designated teachers have done the PEP module."""
    User = get_user_model()
    done = [
        (f"staff{n}.{slug}@symphony.example", "children-in-care-essentials")
        for slug in ("brook", "meadow", "castle")
        for n in range(1, 9)
    ]
    done += [(f"dt.{slug}@symphony.example", "pep-essentials") for slug in ("brook", "meadow")]
    done += [("governor.brook@symphony.example", "governor-monitoring")]
    for email, slug in done:
        user = User.objects.filter(username=email).first()
        module = modules[slug]
        if user is None:
            continue
        answers = {block_id: correct for block_id, _q, _options, correct in module.questions()}
        complete_module(user, module, revision_id=module.live_revision_id, answers=answers)


def load() -> dict:
    index = ensure_training_index()
    modules = {}
    for data in MODULES:
        module = TrainingModulePage.objects.filter(slug=data["slug"]).first()
        if module is None:
            module = build_module(
                index,
                data["title"],
                slug=data["slug"],
                roles=data["roles"],
                summary=data["summary"],
                paragraphs=data["paragraphs"],
                questions=data["questions"],
                minutes=data["minutes"],
                related=_related_pages(data["slug"]),
            )
        modules[data["slug"]] = module

    _completions(modules)

    User = get_user_model()
    for slug, attended in (("brook", date(2025, 10, 8)), ("meadow", date(2022, 3, 2))):
        dt = User.objects.filter(username=f"dt.{slug}@symphony.example").first()
        school = School.objects.filter(slug=slug).first()
        if dt and school:
            LocalAuthorityTraining.objects.get_or_create(
                attendee=dt,
                school=school,
                course="Designated teacher network: PEP quality",
                defaults={"provider": f"{school.local_authority} Virtual School", "attended_on": attended},
            )
    _head_teachers(User)
    _published_five_weeks_ago(modules)
    run = _first_reminders()
    return {"training_index": index, "modules": modules, "reminder_run": run}


def _head_teachers(User):
    """Each school's designated teacher is also its head teacher (as often in primary schools)."""
    for school in School.objects.filter(head_teacher__isnull=True):
        head = User.objects.filter(username=f"dt.{school.slug}@symphony.example").first()
        if head:
            school.head_teacher = head
            school.save(update_fields=["head_teacher"])


def _published_five_weeks_ago(modules):
    """The modules came out five weeks ago, so whoever has not completed them is overdue and escalated."""
    five_weeks_ago = timezone.now() - timedelta(days=35)
    TrainingVersion.objects.filter(
        page_id__in=[m.pk for m in modules.values()], number=1, published_at__gt=five_weeks_ago
    ).update(published_at=five_weeks_ago)


def _first_reminders():
    """One reminder run, so the demo shows digests and escalations to the executive head and each school's
    head teacher in Briefing → Reminders. Loading the demo again the same day emails nobody twice."""
    from .reminders import run_reminders

    return run_reminders(ReminderRun.Trigger.COMMAND)
