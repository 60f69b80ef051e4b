"""Versions of acknowledgeable pages: recorded when a revision is published, read for history."""

import logging

from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import Page

from .models import PolicyVersion

logger = logging.getLogger(__name__)

FIRST_VERSION_SUMMARY = "First version."


@transaction.atomic
def record_publication(page, revision, user=None) -> PolicyVersion | None:
    """Record the publication of `revision` of `page`.

    Called from the `page_published` signal (every path that publishes), and again from the page's
    `publish` and the admin's `after_publish_page` hook, which know who published: those fill in
    `published_by`.

    Material change: the next version number; minor correction: the same number. The first
    publication is version 1. Scheduled publications are recorded when they go live.
    """
    if not Page.objects.filter(pk=page.pk, live_revision_id=revision.pk).exists():
        return None  # scheduled for later: recorded when it goes live
    existing = PolicyVersion.objects.filter(revision=revision).first()
    if existing:
        if existing.published_by_id is None and getattr(user, "pk", None):
            existing.published_by = user
            existing.save(update_fields=["published_by"])
        return existing
    # Lock the page row so two publications at once cannot take the same number.
    Page.objects.select_for_update().filter(pk=page.pk).first()
    previous = PolicyVersion.objects.filter(page_id=page.pk).order_by("-published_at", "-pk").first()
    content = revision.content or {}
    material = content.get("change_is_material")
    summary = (content.get("change_summary") or "").strip()
    if previous is None:
        number, material, summary = 1, True, summary or FIRST_VERSION_SUMMARY
    else:
        # An unanswered question is treated as material: asking everyone again is the safe side.
        material = material is not False
        number = previous.number + 1 if material else previous.number
    version = PolicyVersion.objects.create(
        page_id=page.pk,
        revision=revision,
        number=number,
        is_material=material,
        change_summary=summary,
        published_by=user if getattr(user, "pk", None) else None,
    )
    log(
        instance=page,
        action="policy.version_recorded",
        user=user if getattr(user, "pk", None) else None,
        revision=revision,
        data={"version": number, "material": material, "summary": summary},
    )
    return version


def versions_of(page) -> list[PolicyVersion]:
    """Every publication of the page, oldest first."""
    return list(PolicyVersion.objects.filter(page_id=page.pk).select_related("revision", "published_by"))


def current_version(page) -> PolicyVersion | None:
    if not page.live_revision_id:
        return None
    return PolicyVersion.objects.filter(page_id=page.pk, revision_id=page.live_revision_id).first()


def material_versions_by_page(page_ids) -> dict[int, PolicyVersion]:
    """For each page, the publication that started its current version number (one query)."""
    latest: dict[int, PolicyVersion] = {}
    for version in PolicyVersion.objects.filter(page_id__in=list(page_ids)).order_by("page_id", "published_at", "pk"):
        if version.is_material or version.page_id not in latest:
            latest[version.page_id] = version
    return latest
