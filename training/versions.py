"""Versions of training modules (trust.page_versions records each publication, as for policies), and which
version each person has completed.

Material change: the next version number, and everyone in the audience completes the module again.
Minor change: the same number, and completions stand. The first publication is version 1.
"""

from dataclasses import dataclass

from django.db.models import Max

from trust import page_versions
from trust.compiled_sql import CompiledOnce

from .models import TrainingCompletion, TrainingVersion


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
    """For each module, the publication that started its current version number (one query)."""
    return page_versions.version_starts(TrainingVersion, page_ids)


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


# What progress shows of a completion (the dashboard, the training pages): not its answers, text hash or seal.
PROGRESS_RECEIPT_FIELDS = ("id", "user_id", "page_id", "version_number", "completed_at")


def progress_for(user, modules) -> dict[int, Progress]:
    """Each module's progress for this person (two queries whatever the number of modules; one when the
    modules carry their current number, as those kept for the content generation do)."""
    modules = list(modules)
    known = {m.pk: m._current_number for m in modules if hasattr(m, "_current_number")}
    numbers = known if len(known) == len(modules) else current_numbers(m.pk for m in modules)
    progress = {pk: Progress(number) for pk, number in numbers.items()}
    if not getattr(user, "is_authenticated", False) or not modules:
        return progress
    for receipt in _COMPLETIONS_OF.instances(person_id=user.pk):
        entry = progress.get(receipt.page_id)
        if entry is None:
            continue
        if receipt.version_number == entry.current_number:
            entry.receipt = receipt
        elif entry.earlier is None and entry.receipt is None:
            entry.earlier = receipt
    return progress


def _completions_of(person_id):
    """All the person's completions, latest version first (a few dozen at most), in SQL compiled once
    (trust/compiled_sql.py): read on each first view of the dashboard and the training pages."""
    return (
        TrainingCompletion.objects.filter(user_id=person_id)
        .only(*PROGRESS_RECEIPT_FIELDS)
        .order_by("-version_number", "-pk")
    )


_COMPLETIONS_OF = CompiledOnce(_completions_of, person_id=-1_000_001)  # an id no person has
