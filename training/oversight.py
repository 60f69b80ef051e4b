"""Casework oversight for the briefing report and the annual report: figures only, never a child's identity.

Counted by the casework deadline engine (casework/deadlines.py), with the same rules as the designated
teacher's casework home: a child in care has an initial PEP, then one each term; a PEP due and not signed
off stays overdue until one is signed off, and a child with no PEP record at all counts. DESIGN: governors
and trust-wide reports show numbers, never a child's name, date of birth or UPN. A fixed number of queries
whatever the number of children. Returns {} when casework's models are not as expected.
"""

import hashlib
import logging
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldError
from django.db.models import Prefetch, Q
from django.utils import timezone

from casework.date_ranges import stored_problem
from casework.deadlines import DeadlineEngine
from casework.enums import Cohort, DeadlineKind, ReviewKind
from casework.models import PEP, Child, Review
from trust.calendar_models import academic_year_bounds
from trust.models import School
from trust.personal_pages import shared_generations

logger = logging.getLogger(__name__)
PEP_DATES = ("started_on", "entered_care_on", "pep_before_portal_on")  # what the PEP deadlines count from


@dataclass
class CaseworkFigures:
    children_in_care: int = 0
    previously_looked_after: int = 0
    peps_due: int = 0
    peps_on_time: int = 0
    peps_overdue: int = 0  # children whose PEP is overdue today, as flagged on the casework home
    not_worked_out: int = 0  # children whose PEPs cannot be counted: term dates missing, or a date to check
    initial_rule: str = ""  # "20 school days": the school's rule for the first PEP, with its unit
    reviews_overdue: int = 0  # children whose statutory (LAC) review is overdue, as flagged on the casework home
    pep_not_updated_since_review: int = 0  # children with no PEP signed off since their last statutory review

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.peps_on_time / self.peps_due) if self.peps_due else None


def kept_casework_oversight(school_ids=None, *, academic_year=None) -> dict[int, CaseworkFigures]:
    """`casework_oversight` as at today for `school_ids` (None: every school), kept in the shared cache.

    Working out every child's deadlines costs most of a served briefing (512 children, 14,000 school-day checks
    at 5,000 staff) for figures that change only with a casework record, a trust record (schools, term dates,
    calendars) or the date. So they are kept for the day under the content and casework generations
    (trust/personal_pages.py), read before computing: any such change, committed at any time, gives a new key.
    What is kept is numbers per school, never a child's identity, the same for whoever may see those schools.
    Off without a cache every process shares; kept at most PERSONAL_PAGE_CACHE_SECONDS, for a change made
    round the signals (a queryset update)."""
    if school_ids is not None and not school_ids:
        return {}
    if not getattr(settings, "PERSONAL_PAGE_CACHE", False):
        return casework_oversight(_all_schools() if school_ids is None else school_ids, academic_year=academic_year)
    today = timezone.localdate()
    key = _kept_key(school_ids, academic_year, today)
    kept = cache.get(key)
    if kept is not None:
        return kept
    ids = _all_schools() if school_ids is None else school_ids
    figures = casework_oversight(ids, as_of=today, academic_year=academic_year)
    if figures:  # {}: none asked for, or not worked out (logged); asked again next time
        cache.set(key, figures, timeout=getattr(settings, "PERSONAL_PAGE_CACHE_SECONDS", 300))
    return figures


def _all_schools() -> list[int]:
    return list(School.objects.values_list("pk", flat=True))


# The figures' fields: a deployment that adds one never reads a copy kept by the code before it.
_SHAPE = ",".join(field.name for field in fields(CaseworkFigures))


def _kept_key(school_ids, academic_year, today) -> str:
    """The generations are read here, before the figures are computed: what is kept is never newer than its key."""
    scope = "all" if school_ids is None else ",".join(map(str, sorted(set(school_ids))))
    parts = [scope, academic_year or "", today.isoformat(), shared_generations(), _SHAPE]
    return "casework-oversight:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def casework_oversight(school_ids, *, as_of=None, academic_year=None) -> dict[int, CaseworkFigures]:
    """Figures per school id for `school_ids`: children in care, the PEPs due so far, how many were signed off
    by their due date, and how many children's PEPs are overdue, as at `as_of` (default today); with
    `academic_year` ("2025/26"), only PEPs due in that year count."""
    if not school_ids:
        return {}
    today = as_of or timezone.localdate()
    first, last = academic_year_bounds(academic_year) if academic_year else (None, today)
    last = min(last, today)
    on_roll = (Q(left_on__isnull=True) | Q(left_on__gte=today)) & Q(started_on__lte=today)
    figures = {pk: CaseworkFigures() for pk in school_ids}
    try:
        engine = DeadlineEngine(School.objects.filter(pk__in=school_ids), today=today)
        for pk, entry in figures.items():
            entry.initial_rule = engine.rule(DeadlineKind.INITIAL_PEP, pk).label
        peps = PEP.objects.only("child_id", "status", "signed_off_at", "period_starts_on", "period_ends_on")
        children = (
            Child.objects.filter(on_roll, school_id__in=school_ids)
            .filter(cohort__in=[Cohort.LOOKED_AFTER, Cohort.PREVIOUSLY_LOOKED_AFTER])
            .prefetch_related(
                Prefetch("peps", queryset=peps.order_by("period_starts_on")),
                Prefetch("reviews", queryset=Review.objects.filter(kind=ReviewKind.STATUTORY)),
            )
        )
        for child in children:
            entry = figures[child.school_id]
            if child.cohort == Cohort.PREVIOUSLY_LOOKED_AFTER:
                entry.previously_looked_after += 1
                continue
            entry.children_in_care += 1
            _count_peps(engine, child, entry, first, last, stored_problem)
            _count_reviews(engine, child, entry, stored_problem)
    except (FieldError, LookupError):
        logger.exception("Casework figures unavailable: the casework models are not as expected")
        return {}
    return figures


def _count_peps(engine, child, entry, first, last, stored_problem) -> None:
    from trust.school_days import MissingTermDates

    if any(stored_problem(child, name, timezone.localdate()) for name in PEP_DATES):
        entry.not_worked_out += 1
        return
    try:
        obligations = engine.pep_obligations(child, list(child.peps.all()))
    except MissingTermDates:
        entry.not_worked_out += 1
        return
    counted = [o for o in obligations if o.due_on and o.due_on <= last and (first is None or o.due_on >= first)]
    entry.peps_due += len(counted)
    entry.peps_on_time += sum(o.on_time for o in counted)
    if engine.pep_overdue(child, obligations):
        entry.peps_overdue += 1


def _count_reviews(engine, child, entry, stored_problem) -> None:
    """The statutory review flags of the casework home (casework/review_schedule.py), counted per child."""
    from casework.review_schedule import OVERDUE, PEP_NOT_UPDATED, review_deadline

    if not child.entered_care_on or stored_problem(child, "entered_care_on", timezone.localdate()):
        return
    flags = review_deadline(engine, child).flags
    entry.reviews_overdue += OVERDUE in flags
    entry.pep_not_updated_since_review += any(flag.startswith(PEP_NOT_UPDATED) for flag in flags)


def total(figures: dict[int, CaseworkFigures]) -> CaseworkFigures:
    result = CaseworkFigures()
    for entry in figures.values():
        result.children_in_care += entry.children_in_care
        result.previously_looked_after += entry.previously_looked_after
        result.peps_due += entry.peps_due
        result.peps_on_time += entry.peps_on_time
        result.peps_overdue += entry.peps_overdue
        result.not_worked_out += entry.not_worked_out
        result.reviews_overdue += entry.reviews_overdue
        result.pep_not_updated_since_review += entry.pep_not_updated_since_review
    rules = {entry.initial_rule for entry in figures.values()}
    result.initial_rule = rules.pop() if len(rules) == 1 else "each school's own rule"
    return result
