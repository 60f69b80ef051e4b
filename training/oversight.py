"""Casework oversight for the briefing report: figures only, never a child's identity.

Reads the casework app's models when it is installed (DESIGN: governors and trust-wide reports show
numbers, never a child's name, date of birth or UPN). Two grouped queries whatever the number of
children. Returns {} when casework is not installed or its models are not as expected.
"""

import logging
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Count, F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass
class CaseworkFigures:
    children_in_care: int = 0
    previously_looked_after: int = 0
    peps_due: int = 0
    peps_on_time: int = 0
    peps_overdue: int = 0

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.peps_on_time / self.peps_due) if self.peps_due else None


def casework_oversight(school_ids, *, as_of=None, academic_year=None) -> dict[int, CaseworkFigures]:
    """Figures per school id for `school_ids`: children in care, PEPs in place by their due date.

    As at `as_of` (default today); with `academic_year` ("2025/26"), only that year's PEPs count.
    """
    if not apps.is_installed("casework") or not school_ids:
        return {}
    try:
        from casework.enums import Cohort, PEPStatus
        from casework.models import PEP, Child
    except ImportError:
        return {}
    today = as_of or timezone.localdate()
    on_roll = Q(left_on__isnull=True) | Q(left_on__gte=today)
    if as_of is not None:
        on_roll &= Q(started_on__lte=today)
    figures = {pk: CaseworkFigures() for pk in school_ids}
    try:
        children = (
            Child.objects.filter(on_roll, school_id__in=school_ids)
            .values("school_id")
            .annotate(
                in_care=Count("pk", filter=Q(cohort=Cohort.LOOKED_AFTER)),
                plac=Count("pk", filter=Q(cohort=Cohort.PREVIOUSLY_LOOKED_AFTER)),
            )
            .order_by()
        )
        for row in children:
            figures[row["school_id"]].children_in_care = row["in_care"]
            figures[row["school_id"]].previously_looked_after = row["plac"]
        signed = Q(status=PEPStatus.SIGNED_OFF)
        if as_of is not None:
            signed &= Q(signed_off_at__date__lte=today)
        peps = PEP.objects.filter(
            child__school_id__in=school_ids, child__cohort=Cohort.LOOKED_AFTER, due_on__isnull=False
        )
        if academic_year:
            peps = peps.filter(academic_year=academic_year)
        peps = (
            peps.filter(Q(child__left_on__isnull=True) | Q(child__left_on__gte=today))
            .filter(Q(due_on__lte=today) | signed)
            .values("child__school_id")
            .annotate(
                due=Count("pk"),
                on_time=Count("pk", filter=signed & Q(signed_off_at__date__lte=F("due_on"))),
                overdue=Count("pk", filter=~signed & Q(due_on__lt=today)),
            )
            .order_by()
        )
        for row in peps:
            entry = figures[row["child__school_id"]]
            entry.peps_due, entry.peps_on_time, entry.peps_overdue = row["due"], row["on_time"], row["overdue"]
    except (FieldError, LookupError):
        logger.exception("Casework figures unavailable: the casework models are not as expected")
        return {}
    return figures


def total(figures: dict[int, CaseworkFigures]) -> CaseworkFigures:
    result = CaseworkFigures()
    for entry in figures.values():
        result.children_in_care += entry.children_in_care
        result.previously_looked_after += entry.previously_looked_after
        result.peps_due += entry.peps_due
        result.peps_on_time += entry.peps_on_time
        result.peps_overdue += entry.peps_overdue
    return result
