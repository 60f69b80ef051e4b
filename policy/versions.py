"""Versions of acknowledgeable pages, read for history (trust.page_versions records each publication)."""

from trust import page_versions

from .models import PolicyVersion


def versions_of(page) -> list[PolicyVersion]:
    """Every publication of the page, oldest first."""
    return list(PolicyVersion.objects.filter(page_id=page.pk).select_related("revision", "published_by"))


def current_version(page) -> PolicyVersion | None:
    if not page.live_revision_id:
        return None
    return PolicyVersion.objects.filter(page_id=page.pk, revision_id=page.live_revision_id).first()


def material_versions_by_page(page_ids) -> dict[int, PolicyVersion]:
    """For each page, the publication that started its current version number (one query)."""
    return page_versions.version_starts(PolicyVersion, page_ids)
