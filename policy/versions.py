"""Versions of acknowledgeable pages: recorded when a revision is published, read for history."""

from trust import page_versions

from .models import PolicyVersion


def record_publication(page, revision, user=None) -> PolicyVersion | None:
    """Record the publication of `revision` of `page` (trust.page_versions numbers it).

    Called from the `page_published` signal (every path that publishes), and again from the page's
    `publish` and the admin's `after_publish_page` hook, which know who published: those fill in
    `published_by`.
    """
    return page_versions.record_publication(
        PolicyVersion, page, revision, user, log_action="policy.version_recorded"
    )


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
