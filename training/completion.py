"""Completing a training module: the statement, the check, the attempt and the receipt."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from wagtail.log_actions import log

from trust.access import current_memberships
from trust.shown_text import shown_text_sha256

from .audience import is_in_audience
from .models import TrainingAttempt, TrainingCompletion
from .versions import current_number


@dataclass
class CompletionResult:
    receipt: TrainingCompletion | None = None
    errors: list[str] = field(default_factory=list)
    wrong_ids: list[str] = field(default_factory=list)
    wrong_questions: list[str] = field(default_factory=list)
    created: bool = False

    @property
    def ok(self) -> bool:
        return self.receipt is not None


def roles_snapshot(user) -> list[dict]:
    return [
        {
            "role": m.role,
            "school": m.school.slug if m.school_id else None,
            "role_name": m.get_role_display(),
            "school_name": m.school.name if m.school_id else None,
        }
        for m in sorted(current_memberships(user), key=lambda m: (m.role, m.school_id or 0))
    ]


def roles_as_people_say_them(snapshot: list[dict]) -> list[str]:
    """ "Staff member, Castle Academy" for each role on a receipt. Older receipts kept only the role's code and
    the school's slug: their names are looked up (a school since renamed shows its current name)."""
    from trust.enums import Role
    from trust.models import School

    slugs = {r["school"] for r in snapshot if r.get("school") and not r.get("school_name")}
    names = dict(School.objects.filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}
    said = []
    for r in snapshot:
        role = r.get("role_name") or (Role(r["role"]).label if r.get("role") in Role.values else r.get("role", ""))
        school = r.get("school_name") or names.get(r.get("school"), r.get("school"))
        said.append(f"{role}, {school}" if school else role)
    return said


def complete_module(user, page, *, revision_id: int, answers: dict[str, int]) -> CompletionResult:
    """Record the attempt; on success write the receipt for the module's current version (once: a second
    submit returns the first; after a material change the person completes the new version)."""
    result = CompletionResult()
    if not is_in_audience(user, page):
        result.errors.append("This training is not for your role.")
        return result
    version_number = current_number(page)
    existing = TrainingCompletion.objects.filter(user=user, page=page, version_number=version_number).first()
    if existing:
        result.receipt = existing
        return result
    if revision_id != page.live_revision_id:
        result.errors.append("This training has changed since you opened it. Read it again, then complete it.")
        return result

    shown = page.live_revision.as_object()
    recorded_answers = []
    for block_id, question, options, correct in shown.questions():
        chosen = answers.get(block_id)
        right = chosen == correct
        recorded_answers.append(
            {
                "id": block_id,
                "question": question,
                "answer": options[chosen] if chosen is not None and 0 <= chosen < len(options) else None,
                "correct": right,
            }
        )
        if not right:
            result.wrong_ids.append(block_id)
            result.wrong_questions.append(question)

    TrainingAttempt.objects.create(
        user=user,
        page=page,
        revision_id=revision_id,
        answers=recorded_answers,
        wrong_questions=result.wrong_questions,
        succeeded=not result.wrong_ids,
    )
    if result.wrong_ids:
        result.errors.append("Some answers are not right: " + "; ".join(f"“{q}”" for q in result.wrong_questions))
        return result

    try:
        with transaction.atomic():
            receipt = TrainingCompletion.objects.create(
                user=user,
                page=page,
                revision_id=revision_id,
                version_number=version_number,
                text_sha256=shown_text_sha256(shown),
                answers=recorded_answers,
                roles_snapshot=roles_snapshot(user),
            )
    except IntegrityError:
        # A double submit: the first one stands.
        result.receipt = TrainingCompletion.objects.get(user=user, page=page, version_number=version_number)
        return result
    log(
        instance=receipt,
        action="training.complete",
        user=user,
        data={"module": page.pk, "title": page.title, "version": version_number},
    )
    result.receipt = receipt
    result.created = True
    return result
