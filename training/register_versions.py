"""Earlier versions in the evidence register: each material publication before the current one.

An earlier version is a `Requirement` like the current one (same page, title, audience rule), with its own
number, the time it was published (`since`) and the time the next version replaced it (`until`). Its
register lists who acknowledged or completed THAT version: receipts carry their version number.

Keys are `policy-<page id>-v<number>` and `training-<page id>-v<number>`, plain ASCII digits of a bounded
size: anything else names no version (404) before the database is asked.
"""

import re
from dataclasses import replace

from .briefing_sources import Requirement, all_requirements

KEY = re.compile(r"(?P<kind>policy|training)-(?P<page>[0-9]{1,10})-v(?P<number>[0-9]{1,6})", re.ASCII)


def _version_model(requirement):
    if requirement.kind == "Training":
        from .models import TrainingVersion

        return TrainingVersion
    from policy.models import PolicyVersion

    return PolicyVersion


def _starts(version_model, page_ids) -> dict[int, list]:
    """For each page, the publication that started each version number, oldest first (one query)."""
    starts: dict[int, list] = {}
    rows = version_model.objects.filter(page_id__in=list(page_ids)).order_by("page_id", "published_at", "pk")
    for version in rows.only("pk", "page_id", "number", "published_at", "revision_id"):
        page_starts = starts.setdefault(version.page_id, [])
        if not page_starts or version.number != page_starts[-1].number:
            page_starts.append(version)
    return starts


def _earlier(requirement, starts) -> list[Requirement]:
    """The requirement's earlier versions, newest first."""
    prefix = "training" if requirement.kind == "Training" else "policy"
    earlier = []
    for start, following in zip(starts, starts[1:], strict=False):
        if start.number >= requirement.version_number:
            break
        earlier.append(
            replace(
                requirement,
                key=f"{prefix}-{requirement.page_id}-v{start.number}",
                version=f"Version {start.number}",
                version_number=start.number,
                since=start.published_at,
                until=following.published_at,
            )
        )
    return earlier[::-1]


def with_earlier_versions(requirements) -> list[tuple[Requirement, list[Requirement]]]:
    """Each current requirement with its earlier versions (two queries: policy and training versions)."""
    by_model: dict = {}
    for r in requirements:
        by_model.setdefault(_version_model(r), set()).add(r.page_id)
    starts = {model: _starts(model, page_ids) for model, page_ids in by_model.items()}
    return [(r, _earlier(r, starts[_version_model(r)].get(r.page_id, []))) for r in requirements]


def find_requirement(key: str) -> Requirement | None:
    """The current or an earlier version named by `key`; None when it names none."""
    match = KEY.fullmatch(key or "")
    if match is None:
        return None
    requirements = all_requirements()
    current = next((r for r in requirements if r.key == key), None)
    if current is not None:
        return current
    page_id, number = int(match["page"]), int(match["number"])
    prefix = match["kind"]
    owner = next(
        (r for r in requirements if r.page_id == page_id and (r.kind == "Training") == (prefix == "training")), None
    )
    if owner is None or number >= owner.version_number:
        return None
    model = _version_model(owner)
    return next((r for r in _earlier(owner, _starts(model, [page_id]).get(page_id, [])) if r.key == key), None)


def version_start(requirement):
    """The publication that started the requirement's version (None for a module never versioned)."""
    return (
        _version_model(requirement)
        .objects.filter(page_id=requirement.page_id, number=requirement.version_number)
        .order_by("published_at", "pk")
        .first()
    )
