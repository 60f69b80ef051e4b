"""School-day arithmetic on each school's own calendar.

Counting starts the day after the event: the first qualifying day after it is day one, as for
statutory deadlines. A count that reaches an academic year the school has not entered terms for is
an error naming the school and the year, never a silently wrong date.
"""

import bisect
import datetime
from collections import defaultdict
from functools import lru_cache

import holidays
from django.db import models

from .calendar_models import NonTeachingDay, Term, academic_year_of

ONE_DAY = datetime.timedelta(days=1)
# No deadline in casework runs longer than this: a guard against an endless walk.
_MAX_STEPS = 3 * 366
# No count of working days spans more than this: a walk over centuries is a wrong date, not a deadline.
_MAX_SPAN = datetime.timedelta(days=100 * 366)


class DayUnit(models.TextChoices):
    SCHOOL = "school", "school days"
    WORKING = "working", "working days"
    CALENDAR = "calendar", "calendar days"


class MissingTermDates(Exception):
    """The school has no term dates for the academic year a count needs."""

    def __init__(self, school, academic_year: str):
        self.school = school
        self.academic_year = academic_year
        super().__init__(f"No term dates for {school} in {academic_year}")


class DateOutOfRange(MissingTermDates):
    """A count from a date no calendar reaches (9999-12-31 or 0001-01-01, stored by mistake): the date is wrong,
    not the school's terms. A MissingTermDates, so everywhere that shows one instead of a date shows this too."""

    def __init__(self, school, day: datetime.date):
        self.school, self.day, self.academic_year = school, day, academic_year_of(day)
        Exception.__init__(self, f"The date {day.isoformat()} looks wrong: check the record")


def _step(school, day: datetime.date, delta: datetime.timedelta) -> datetime.date:
    try:
        return day + delta
    except OverflowError:
        raise DateOutOfRange(school, day) from None


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[datetime.date]:
    """England's bank holidays in a calendar year (from the `holidays` package)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: datetime.date) -> bool:
    return day in bank_holidays(day.year)


def is_working_day(day: datetime.date) -> bool:
    """Not a weekend or an England bank holiday; school holidays count."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The `count`th working day after `start`: working days need no school's calendar."""
    return SchoolCalendar(None, [], []).add(start, count, DayUnit.WORKING)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    return SchoolCalendar(None, [], []).days_between(start, end, DayUnit.WORKING)


class SchoolCalendar:
    """One school's terms and non-teaching days, loaded once and asked many times."""

    def __init__(self, school, terms, non_teaching_days):
        self.school = school
        ordered = sorted(terms, key=lambda t: t.starts_on)
        self._starts = [t.starts_on for t in ordered]
        self._terms = ordered
        self.years = {t.academic_year for t in ordered}
        self.closed = {d.date: d for d in non_teaching_days}

    @classmethod
    def for_school(cls, school) -> "SchoolCalendar":
        return cls(school, Term.objects.filter(school=school), NonTeachingDay.objects.filter(school=school))

    @classmethod
    def for_schools(cls, schools) -> dict[int, "SchoolCalendar"]:
        """Calendars for many schools in two queries, keyed by school id."""
        schools = list(schools)
        ids = [s.pk for s in schools]
        terms, days = defaultdict(list), defaultdict(list)
        for term in Term.objects.filter(school_id__in=ids):
            terms[term.school_id].append(term)
        for day in NonTeachingDay.objects.filter(school_id__in=ids):
            days[day.school_id].append(day)
        return {s.pk: cls(s, terms[s.pk], days[s.pk]) for s in schools}

    # --- questions about one day ------------------------------------------------------------
    def term_containing(self, day: datetime.date) -> Term | None:
        index = bisect.bisect_right(self._starts, day) - 1
        if index >= 0 and self._terms[index].ends_on >= day:
            return self._terms[index]
        return None

    def require_year(self, day: datetime.date) -> None:
        year = academic_year_of(day)
        if year not in self.years and not self._summer_before_an_entered_year(day):
            raise MissingTermDates(self.school, year)

    def _summer_before_an_entered_year(self, day: datetime.date) -> bool:
        """August is summer holiday at every school in England: a count that starts there, before the first
        year a school has entered, passes over no term day of the year it lacks."""
        return day.month == 8 and academic_year_of(day + datetime.timedelta(days=31)) in self.years

    def is_school_day(self, day: datetime.date) -> bool:
        self.require_year(day)
        return (
            day.weekday() < 5
            and not is_bank_holiday(day)
            and day not in self.closed
            and self.term_containing(day) is not None
        )

    def qualifies(self, day: datetime.date, unit: str) -> bool:
        if unit == DayUnit.SCHOOL:
            return self.is_school_day(day)
        if unit == DayUnit.WORKING:
            return is_working_day(day)
        if unit == DayUnit.CALENDAR:
            return True
        raise ValueError(f"Unknown unit of days: {unit!r}")

    # --- counting ---------------------------------------------------------------------------
    def add(self, start: datetime.date, count: int, unit: str = DayUnit.SCHOOL) -> datetime.date:
        """The `count`th qualifying day after `start` (the day after the event is the first candidate)."""
        if count < 0:
            raise ValueError("Count forwards only: the number of days must be zero or more.")
        if unit == DayUnit.CALENDAR:
            return _step(self.school, start, datetime.timedelta(days=count))
        day, found = start, 0
        for _ in range(_MAX_STEPS * max(1, count)):
            if found == count:
                return day
            day = _step(self.school, day, ONE_DAY)
            if self.qualifies(day, unit):
                found += 1
        raise MissingTermDates(self.school, academic_year_of(day))  # pragma: no cover - guarded above

    def subtract(self, start: datetime.date, count: int, unit: str = DayUnit.SCHOOL) -> datetime.date:
        """The `count`th qualifying day before `start` (e.g. a report due five school days before a review)."""
        if count < 0:
            raise ValueError("The number of days must be zero or more.")
        if unit == DayUnit.CALENDAR:
            return _step(self.school, start, -datetime.timedelta(days=count))
        day, found = start, 0
        while found < count:
            day = _step(self.school, day, -ONE_DAY)
            if self.qualifies(day, unit):
                found += 1
        return day

    def days_between(self, start: datetime.date, end: datetime.date, unit: str = DayUnit.SCHOOL) -> int:
        """Qualifying days after `start` up to and including `end` (negative when `end` is earlier)."""
        if end == start:
            return 0
        if end < start:
            return -self.days_between(end, start, unit)
        if unit == DayUnit.CALENDAR:
            return (end - start).days
        if end - start > _MAX_SPAN:
            raise DateOutOfRange(self.school, end)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.qualifies(day, unit):
                count += 1
        return count

    def next_school_day(self, day: datetime.date) -> datetime.date:
        return self.add(day, 1, DayUnit.SCHOOL)

    def current_or_next_term(self, day: datetime.date) -> Term | None:
        index = bisect.bisect_left([t.ends_on for t in self._terms], day)
        return self._terms[index] if index < len(self._terms) else None

    def terms(self) -> list[Term]:
        return list(self._terms)


def add_days(school, start: datetime.date, count: int, unit: str = DayUnit.SCHOOL) -> datetime.date:
    """Convenience for one count: loads the school's calendar and adds `count` days of `unit`."""
    return SchoolCalendar.for_school(school).add(start, count, unit)
