"""Demo content for the policy hub (DESIGN.md "Demo trust"). Idempotent: safe to run again.

The Children in Care policy (the trust's own text) in two published versions, the second a material
change with a comprehension check; the DfE guidance it relies on; and receipts of the current version
for about half the staff (staff1–6 of each school, dt.brook and dt.meadow). A second policy approver,
approver@symphony.example, so the head's submissions are approved by someone else (issue 17).
"""

import copy
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from trust import demo as trust_demo
from trust.enums import Role

from .acknowledgements import create_receipt, existing_receipt
from .importer import parse_text
from .models import CaseworkGateSettings, GuidancePage, PolicyPage, PolicyVersion
from .setup import APPROVERS_GROUP, ensure_structure
from .versions import current_version

SEED = Path(__file__).resolve().parent / "demo_data" / "children-in-care-policy.txt"
POLICY_SLUG = "children-in-care"
APPROVER_EMAIL = "approver@symphony.example"
EVERYONE_IN_SCHOOLS = [Role.STAFF.value, Role.GOVERNOR.value, Role.DESIGNATED_TEACHER.value]
GUIDANCE = [
    {
        "slug": "promoting-the-education-of-looked-after-children",
        "title": "Promoting the education of looked-after children and previously looked-after children",
        "summary": "Statutory guidance for local authorities on the duty to promote the educational achievement "
        "of looked-after and previously looked-after children, including the virtual school head's role and PEPs.",
        "link_url": "https://www.gov.uk/government/publications/promoting-the-education-of-looked-after-children",
        "published_on": (2018, 2, 28),
    },
    {
        "slug": "designated-teacher-for-looked-after-children",
        "title": "The designated teacher for looked-after and previously looked-after children",
        "summary": "Statutory guidance on the designated teacher's role: who it must be, what they do, and how "
        "governing boards support them.",
        "link_url": "https://www.gov.uk/government/publications/designated-teacher-for-looked-after-children",
        "published_on": (2018, 2, 28),
        "acknowledgement_required": True,
        "audience_roles": [Role.DESIGNATED_TEACHER.value, Role.GOVERNOR.value],
    },
    {
        "slug": "duty-to-promote-educational-achievement",
        "title": "Duty on local authorities to promote the educational achievement of looked-after children",
        "summary": "The legal duty (Children Act 1989 section 22(3A), inserted by the Children Act 2004 section 52) "
        "on which the trust's policy relies.",
        "link_url": "https://www.legislation.gov.uk/ukpga/2004/31/section/52",
        "published_on": (2004, 11, 15),
    },
]
QUESTIONS = [
    {
        "type": "question",
        "value": {
            "question": "Within how long of a child in care starting at our school must their PEP be in place?",
            "correct_answer": "20 school days",
            "other_answers": ["20 calendar days", "By the end of the first term", "Before the next statutory review"],
            "hint": "the Delivery section, on Personal Education Plans",
        },
    },
    {
        "type": "question",
        "value": {
            "question": "Who leads the school's work for children in care?",
            "correct_answer": "The designated teacher (in our schools, the head teacher)",
            "other_answers": ["The Children in Care governor", "The child's social worker"],
            "hint": "the Delivery section",
        },
    },
    {
        "type": "question",
        "value": {
            "question": "What must we do for every review held for a child in care?",
            "correct_answer": "Send a school report or a representative",
            "other_answers": ["Nothing unless the virtual school asks", "Send the child's full school file"],
            "hint": "the Delivery section, on reviews",
        },
    },
]
RIGHT_ANSWERS = [q["value"] for q in QUESTIONS]


def _user(email):
    return get_user_model().objects.filter(email=email).first()


def _guidance(index, data):
    page = GuidancePage.objects.filter(slug=data["slug"]).first()
    if page:
        return page
    year, month, day = data["published_on"]
    page = GuidancePage(
        title=data["title"],
        slug=data["slug"],
        summary=data["summary"],
        link_url=data["link_url"],
        published_on=date(year, month, day),
        acknowledgement_required=data.get("acknowledgement_required", False),
        audience_roles=data.get("audience_roles", EVERYONE_IN_SCHOOLS),
        next_review=timezone.localdate() + timedelta(days=180),
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _version_two_body(blocks, guidance):
    """The material change: the PEP deadline in school days, and links to the DfE guidance."""
    blocks = copy.deepcopy(blocks)
    for block in blocks:
        if block["type"] == "list":
            block["value"]["items"] = [
                item.replace("within 20 days of starting our school", "within 20 school days of starting our school")
                for item in block["value"]["items"]
            ]
    out = []
    for block in blocks:
        if block["type"] == "paragraph" and "Duty on local authorities" in block["value"]:
            out.extend({"type": "guidance_link", "value": {"page": g.pk, "text": ""}} for g in guidance)
            continue
        out.append(block)
    out.append(
        {
            "type": "callout",
            "value": {
                "title": "PEP deadline",
                "text": "<p>The 20 days are <b>school days</b>: days the school is open to pupils, not counting "
                "weekends, bank holidays, school holidays or INSET days.</p>",
                "important": True,
            },
        }
    )
    return out


def _policy(index, head, guidance):
    page = PolicyPage.objects.filter(slug=POLICY_SLUG).first()
    if page:
        return page
    imported = parse_text(SEED.read_text(encoding="utf-8"))
    now = timezone.now()
    page = PolicyPage(
        title="Children in Care policy",
        slug=POLICY_SLUG,
        summary="How our schools promote the education of children in care: PEPs, reviews, transitions, "
        "training and the roles of staff, the designated teacher and governors.",
        policy_owner="Executive head",
        adopted_on=(now - timedelta(days=400)).date(),
        review_basis=imported.review_basis,
        next_review=timezone.localdate() + timedelta(days=20),
        body=imported.blocks,
        audience_roles=EVERYONE_IN_SCHOOLS,
    )
    index.add_child(instance=page)
    page.save_revision(user=head).publish(user=head)
    page = PolicyPage.objects.get(pk=page.pk)
    page.body = _version_two_body(imported.blocks, guidance)
    page.comprehension_check = QUESTIONS
    page.change_is_material = True
    page.change_summary = (
        "The PEP deadline is now 20 school days; links to the DfE statutory guidance; a short comprehension check."
    )
    page.save_revision(user=head).publish(user=head)
    first, second = PolicyVersion.objects.filter(page_id=page.pk).order_by("pk")
    PolicyVersion.objects.filter(pk=first.pk).update(published_at=now - timedelta(days=120))
    PolicyVersion.objects.filter(pk=second.pk).update(published_at=now - timedelta(days=6))
    return PolicyPage.objects.get(pk=page.pk)


def _receipts(page):
    version = current_version(page)
    first = PolicyVersion.objects.filter(page_id=page.pk).order_by("pk").first()
    answers = [{"question": q["question"], "answer": q["correct_answer"], "correct": True} for q in RIGHT_ANSWERS]
    readers = [f"staff{n}.{slug}@symphony.example" for slug in ("brook", "meadow", "castle") for n in range(1, 7)]
    readers += ["dt.brook@symphony.example", "dt.meadow@symphony.example"]
    for email in readers:
        user = _user(email)
        if user and not existing_receipt(user, page, version.number):
            create_receipt(user, page, version, version.revision_id, answers=answers)
    # Some read the first version and have yet to read the second: they see what changed.
    for email in [f"staff{n}.{slug}@symphony.example" for slug in ("brook", "meadow", "castle") for n in (7, 8, 9)]:
        user = _user(email)
        if user and first and not existing_receipt(user, page, first.number):
            create_receipt(
                user, page, first, first.revision_id, acknowledged_at=first.published_at + timedelta(days=3)
            )


def _choose_as_gate_policy(page):
    """As the executive head does in Settings → Casework gate (kept if they have chosen another)."""
    gate = CaseworkGateSettings.load()
    if gate.children_in_care_policy_id is None:
        gate.children_in_care_policy = page
        gate.save()


def _second_approver():
    """The trust's director of education, who approves the executive head's policy changes (no school role)."""
    approver = trust_demo._person(APPROVER_EMAIL, "Rowan", "Okoye (Director of education)")
    approver.groups.add(Group.objects.get(name=APPROVERS_GROUP))
    trust_demo._enrol_mfa(approver)  # opens the admin, so signs in with a second factor
    return approver


def load():
    policies, guidance_index = ensure_structure()
    _second_approver()
    head = _user("head@symphony.example")
    guidance = [_guidance(guidance_index, data) for data in GUIDANCE]
    page = _policy(policies, head, guidance)
    _choose_as_gate_policy(page)
    _receipts(page)
    return {"policy": page, "guidance": guidance}
