"""The briefing report, kept in the cache until something it counts changes.

Building the whole trust's report takes seconds at 5,000 staff, and it changes only when someone
acknowledges or completes something, joins, moves or leaves, or a page is published. Each such change
gives `BriefingGeneration` a new number in the same transaction, so every app server sees it when it
commits. A report is cached under the number read before it was built: a change committed while it is
being built gives a new number and so a new build; it is never hidden.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from .briefing import BriefingReport, SchoolBriefing, build_report, build_summary
from .models import BriefingGeneration

CACHE_SECONDS = 60 * 60
_ROW = 1


def current_generation() -> int:
    return BriefingGeneration.objects.filter(pk=_ROW).values_list("number", flat=True).first() or 0


def bump(**_signal_kwargs) -> None:
    """A new, random number: unlike a counter, it never repeats after a rollback or a restored backup."""
    from trust.personal_pages import renew_briefing

    renew_briefing()  # the dashboards' kept copies show these counts
    number = secrets.randbits(62)
    if BriefingGeneration.objects.filter(pk=_ROW).update(number=number):
        return
    try:
        with transaction.atomic():
            BriefingGeneration.objects.create(pk=_ROW, number=number)
    except IntegrityError:  # created meanwhile by another request
        BriefingGeneration.objects.filter(pk=_ROW).update(number=number)


def _key(kind: str, school_ids, names_for) -> str:
    scope = "all" if school_ids is None else ",".join(map(str, sorted(school_ids)))
    names = ",".join(map(str, sorted(names_for)))
    digest = hashlib.sha256(f"{scope}|{names}".encode()).hexdigest()[:32]
    return f"briefing:{kind}:{current_generation()}:{timezone.localdate():%Y%m%d}:{digest}"


def report_key(school_ids=None, *, names_for=frozenset()) -> str:
    """The cache key of that report as things stand: templates cache what they render from it under it."""
    return _key("report", school_ids, names_for)


def report(school_ids=None, *, names_for=frozenset(), key=None) -> BriefingReport:
    """`briefing.build_report`, from the cache when nothing it counts has changed since it was built
    (`key`: its `report_key`, when the caller has already read it)."""
    key = key or report_key(school_ids, names_for=names_for)
    return cache.get_or_set(key, lambda: build_report(school_ids, names_for=names_for), CACHE_SECONDS)


def summary(school_ids=None) -> SchoolBriefing:
    """`briefing.build_summary` (the dashboards' totals), cached in the same way."""
    return cache.get_or_set(_key("summary", school_ids, ()), lambda: build_summary(school_ids), CACHE_SECONDS)
