"""How versions of a page are numbered, written once for every app that versions its pages (policies and
guidance in `policy`, training modules in `training`), each with its own version model.

A version model (`PageVersion`) has: page, revision, number, is_material, change_summary, published_by,
published_at.
The first publication is version 1. A material change takes the next number (everyone in the audience
acts on it again); a minor one keeps the number (what people did stands). An unanswered question is
treated as material: asking everyone again is the safe side. The form that asks is `page_forms`.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

FIRST_VERSION_SUMMARY = "First version."


class PageVersion(models.Model):
    """One publication of a versioned page; each app adds `page` and `revision` (the exact revision published)."""

    minor_name = "minor change"  # how the app names a change that keeps the number

    number = models.PositiveIntegerField()
    is_material = models.BooleanField()
    change_summary = models.TextField(blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["page_id", "published_at", "pk"]
        get_latest_by = ["published_at", "pk"]

    def __str__(self):
        kind = "material change" if self.is_material else self.minor_name
        return f"Version {self.number} ({kind}, {self.published_at:%d %B %Y})"

    @property
    def label(self) -> str:
        """What people call this publication: "Version 3", or "Version 3 (corrected 4 December 2026)" for a
        correction that kept the number, so two rows of one version never read the same."""
        if self.is_material:
            return f"Version {self.number}"
        day = timezone.localtime(self.published_at)
        return f"Version {self.number} (corrected {day.day} {day:%B %Y})"


@transaction.atomic
def record_publication(version_model, page, revision, user=None, *, log_action: str):
    """Record the publication of `revision` of `page` (once per revision; a later call fills in who).

    Scheduled publications are recorded when they go live."""
    if not Page.objects.filter(pk=page.pk, live_revision_id=revision.pk).exists():
        return None  # scheduled for later: recorded when it goes live
    user = user if getattr(user, "pk", None) else None
    existing = version_model.objects.filter(revision=revision).first()
    if existing:
        if existing.published_by_id is None and user:
            existing.published_by = user
            existing.save(update_fields=["published_by"])
        return existing
    # Lock the page row so two publications at once cannot take the same number.
    Page.objects.select_for_update().filter(pk=page.pk).first()
    previous = version_model.objects.filter(page_id=page.pk).order_by("-published_at", "-pk").first()
    content = revision.content or {}
    summary = (content.get("change_summary") or "").strip()
    if previous is None:
        number, material, summary = 1, True, summary or FIRST_VERSION_SUMMARY
    else:
        material = content.get("change_is_material") is not False
        number = previous.number + 1 if material else previous.number
    version = version_model.objects.create(
        page_id=page.pk,
        revision=revision,
        number=number,
        is_material=material,
        change_summary=summary,
        published_by=user,
    )
    log(
        instance=page,
        action=log_action,
        user=user,
        revision=revision,
        data={"version": number, "material": material, "summary": summary},
    )
    return version


def version_starts(version_model, page_ids) -> dict:
    """For each page, the publication that started its current version number (one query): everyone in the
    audience has been asked to act on the current version since then."""
    starts = {}
    for version in version_model.objects.filter(page_id__in=list(page_ids)).order_by("page_id", "published_at", "pk"):
        if version.is_material or version.page_id not in starts:
            starts[version.page_id] = version
    return starts
