"""Versions of training modules: recorded when a revision is published (as the policy app does for
policies), and which version each person has completed.

Material change: the next version number, and everyone in the audience completes the module again.
Minor change: the same number, and completions stand. The first publication is version 1.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Subquery, Value
from django.db.models.functions import Coalesce
from wagtail.log_actions import log
from wagtail.models import Page

from .models import TrainingCompletion, TrainingVersion

FIRST_VERSION_SUMMARY = "First version."


@transaction.atomic
def record_publication(page, revision, user=None) -> TrainingVersion | None:
    """Record the publication of `revision` of `page` (once per revision; a later call fills in who)."""
    if not Page.objects.filter(pk=page.pk, live_revision_id=revision.pk).exists():
        return None  # scheduled for later: recorded when it goes live
    user = user if getattr(user, "pk", None) else None
    existing = TrainingVersion.objects.filter(revision=revision).first()
    if existing:
        if existing.published_by_id is None and user:
            existing.published_by = user
            existing.save(update_fields=["published_by"])
        return existing
    # Lock the page row so two publications at once cannot take the same number.
    Page.objects.select_for_update().filter(pk=page.pk).first()
    previous = TrainingVersion.objects.filter(page_id=page.pk).order_by("-published_at", "-pk").first()
    content = revision.content or {}
    summary = (content.get("change_summary") or "").strip()
    if previous is None:
        number, material, summary = 1, True, summary or FIRST_VERSION_SUMMARY
    else:
        # An unanswered question is treated as material: asking everyone again is the safe side.
        material = content.get("change_is_material") is not False
        number = previous.number + 1 if material else previous.number
    version = TrainingVersion.objects.create(
        page_id=page.pk,
        revision=revision,
        number=number,
        is_material=material,
        change_summary=summary,
        published_by=user,
    )
    log(
        instance=page,
        action="training.version_recorded",
        user=user,
        revision=revision,
        data={"version": number, "material": material, "summary": summary},
    )
    return version


def current_number_expression(page_id):
    """Database expression: the module's current version number (1 until one is recorded)."""
    numbers = TrainingVersion.objects.filter(page_id=page_id).values("page_id").annotate(n=Max("number")).values("n")
    return Coalesce(Subquery(numbers[:1]), Value(1))


def current_number(page) -> int:
    """The module's current version number (1 until a material change)."""
    return current_numbers([page.pk])[page.pk]


def current_numbers(page_ids) -> dict[int, int]:
    """The current version number of each module (one query)."""
    page_ids = list(page_ids)
    numbers = dict(
        TrainingVersion.objects.filter(page_id__in=page_ids)
        .values("page_id")
        .annotate(n=Max("number"))
        .values_list("page_id", "n")
        .order_by()
    )
    return {pk: numbers.get(pk, 1) for pk in page_ids}


def current_version_starts(page_ids) -> dict[int, TrainingVersion]:
    """For each module, the publication that started its current version number (one query): everyone in
    the audience has been asked to complete the current version since then."""
    starts: dict[int, TrainingVersion] = {}
    for version in TrainingVersion.objects.filter(page_id__in=list(page_ids)).order_by("page_id", "published_at", "pk"):
        if version.is_material or version.page_id not in starts:
            starts[version.page_id] = version
    return starts


@dataclass
class Progress:
    """One person's standing on one module."""

    current_number: int
    receipt: TrainingCompletion | None = None  # of the current version
    earlier: TrainingCompletion | None = None  # the latest receipt of an earlier version

    @property
    def done(self) -> bool:
        return self.receipt is not None

    @property
    def needs_again(self) -> bool:
        """Completed before a material change, not since."""
        return self.receipt is None and self.earlier is not None


def progress_for(user, modules) -> dict[int, Progress]:
    """Each module's progress for this person (two queries whatever the number of modules)."""
    modules = list(modules)
    numbers = current_numbers(m.pk for m in modules)
    progress = {pk: Progress(number) for pk, number in numbers.items()}
    if not getattr(user, "is_authenticated", False) or not modules:
        return progress
    receipts = TrainingCompletion.objects.filter(user=user, page_id__in=numbers).order_by("-version_number", "-pk")
    for receipt in receipts:
        entry = progress[receipt.page_id]
        if receipt.version_number == entry.current_number:
            entry.receipt = receipt
        elif entry.earlier is None and entry.receipt is None:
            entry.earlier = receipt
    return progress
