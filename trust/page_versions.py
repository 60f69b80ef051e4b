"""How versions of a page are numbered, written once for every app that versions its pages (policies and
guidance in `policy`, training modules in `training`), each with its own version model.

A version model (`PageVersion`) has: page, revision, number, is_material, change_summary, published_by,
published_at.
The first publication is version 1. A material change takes the next number (everyone in the audience
acts on it again); a minor one keeps the number (what people did stands). An unanswered question is
treated as material: asking everyone again is the safe side. The form that asks is `page_forms`.

Each app registers its versioned page classes in its AppConfig.ready (`register`). One `page_published`
receiver (every path that publishes: the editor, workflow approval, bulk and scheduled publishing) and one
`after_publish_page` hook (trust/wagtail_hooks.py) record the publication of any registered page, and the
page's own `publish` passes on who published. A page class that shows text for receipts (`shown_text`,
trust/shown_text.py) without a registered version model fails Django's checks.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.dispatch import receiver
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.signals import page_published

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


@dataclass(frozen=True)
class Versioning:
    """How publications of a page class are recorded: in which version model, under which log action."""

    version_model: type[PageVersion]
    log_action: str


_registry: dict[type, Versioning] = {}


def register(page_class, version_model, *, log_action: str) -> None:
    """Record every publication of `page_class` (and its subclasses) as a `version_model` row."""
    if not (isinstance(version_model, type) and issubclass(version_model, PageVersion)) or (
        version_model._meta.abstract
    ):
        raise ImproperlyConfigured(f"{page_class.__name__}'s versions need a concrete PageVersion model.")
    _registry[page_class] = Versioning(version_model, log_action)


def unregister(page_class) -> None:
    _registry.pop(page_class, None)


def versioning_for(page_class) -> Versioning | None:
    """The registration that covers this page class (its own or an ancestor's); None for an unversioned page."""
    for klass in getattr(page_class, "__mro__", ()):
        if klass in _registry:
            return _registry[klass]
    return None


def unregistered_versioned_pages(page_models) -> list:
    """The page classes that show text for receipts (`shown_text`) but record no versions."""
    return [m for m in page_models if hasattr(m, "shown_text") and versioning_for(m) is None]


@checks.register(checks.Tags.models)
def check_versioned_pages_are_registered(app_configs=None, **kwargs):
    from django.apps import apps

    pages = [m for m in apps.get_models() if issubclass(m, Page)]
    return [
        checks.Error(
            f"{m.__name__} shows text for receipts but records no versions.",
            hint="Call trust.page_versions.register(page class, version model, log_action=...) in its app's ready().",
            obj=m,
            id="trust.E001",
        )
        for m in unregistered_versioned_pages(pages)
    ]


def record_publication(page, revision, user=None):
    """Record the publication of `revision` of `page` if its class is versioned (once per revision; a later
    call fills in who published). Scheduled publications are recorded when they go live."""
    versioning = versioning_for(type(page))
    if versioning is None:
        return None
    return _record(versioning.version_model, page, revision, user, log_action=versioning.log_action)


@receiver(page_published)
def record_version_on_publish(sender, instance, revision, **kwargs):
    record_publication(instance, revision)


@transaction.atomic
def _record(version_model, page, revision, user, *, log_action: str):
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
