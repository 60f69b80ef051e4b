"""Reading term dates as schools and local authorities publish them (iCalendar), into a plan a person checks.

A file may give one event per half-term part, or whole terms with the holidays as events inside them; all-day
dates or times (with a TZID, in UTC or floating); holidays named "Christmas Break" or "Whitsun"; INSET days
named "Staff Development Day". Each event is classified by its CATEGORIES, then its name, then its shape
(an unnamed run of days inside a term is a break in it). What cannot be classified is listed, never guessed:
the plan refuses until the person chooses to leave those events out.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import icalendar

from .calendar_models import academic_year_of
from .school_days import is_bank_holiday

LONDON = ZoneInfo("Europe/London")
ONE_DAY = datetime.timedelta(days=1)
PUPIL_DAYS, INSET_DAYS = 190, 5  # a maintained school's year in England
PUPIL_DAYS_TOLERANCE = 5

INSET, CLOSURE, HOLIDAY, TERM, UNKNOWN = "inset", "closure", "holiday", "term", "unknown"

_INSET_WORDS = re.compile(
    r"\binset\b|training day|staff (development|training)|professional development|non[- ]pupil|"
    r"teacher (day|training)|\bpd day\b|pupils? not in school|no pupils"
)
_CLOSURE_WORDS = re.compile(r"\bclosure\b|\bclosed\b|polling")
_HOLIDAY_WORDS = re.compile(r"holiday|half[- ]?term|\bbreak\b|vacation|whitsun|\brecess\b|bank hol")
_TERM_WORDS = re.compile(r"\bterm\b|\bautumn\b|\bspring\b|\bsummer\b|\bmichaelmas\b|\blent\b|\btrinity\b")


class TermDatesError(ValueError):
    """The file cannot be read at all."""


@dataclass(frozen=True)
class Event:
    summary: str
    first: datetime.date
    last: datetime.date  # inclusive
    kind: str
    reason: str = ""  # why it was classified so, when the name did not say

    @property
    def label(self) -> str:
        dates = f"{self.first:%a %-d %b %Y}" + (f" to {self.last:%a %-d %b %Y}" if self.last != self.first else "")
        return f"{self.summary or '(no name)'} ({dates})"


@dataclass
class PlannedTerm:
    name: str
    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def academic_year(self) -> str:
        return academic_year_of(self.starts_on)


@dataclass
class Plan:
    terms: list[PlannedTerm] = field(default_factory=list)
    inset_days: list[tuple[datetime.date, str]] = field(default_factory=list)
    closure_days: list[tuple[datetime.date, str]] = field(default_factory=list)
    unclassified: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # decisions made from a name or a shape, shown to the person

    @property
    def years(self) -> list[str]:
        return sorted({t.academic_year for t in self.terms})

    def pupil_days(self, year: str) -> int:
        closed = {d for d, _ in self.inset_days + self.closure_days}
        days = 0
        for term in self.terms:
            if term.academic_year != year:
                continue
            day = term.starts_on
            while day <= term.ends_on:
                if day.weekday() < 5 and not is_bank_holiday(day) and day not in closed:
                    days += 1
                day += ONE_DAY
        return days

    def inset_count(self, year: str) -> int:
        return sum(1 for d, _ in self.inset_days if academic_year_of(d) == year and d.weekday() < 5)

    def warnings(self) -> list[str]:
        found = []
        for year in self.years:
            pupils, inset = self.pupil_days(year), self.inset_count(year)
            if abs(pupils - PUPIL_DAYS) > PUPIL_DAYS_TOLERANCE or inset != INSET_DAYS:
                found.append(
                    f"{year}: {pupils} pupil days and {inset} INSET days, where a school year usually has "
                    f"{PUPIL_DAYS} and {INSET_DAYS}. Check the file covers the whole year and every day is right."
                )
        return found

    def refusals(self, ignore_unclassified: bool = False) -> list[str]:
        reasons = []
        if not self.terms:
            reasons.append("The file has no terms in it.")
        if self.unclassified and not ignore_unclassified:
            reasons.append(
                "These events are not terms, holidays, INSET or closure days as far as the file says: "
                + "; ".join(e.label for e in self.unclassified)
                + ". Give each a category (TERM, HOLIDAY, INSET or CLOSURE) or a clearer name, or choose to leave "
                "them out."
            )
        return reasons

    def lines(self) -> list[str]:
        """The preview, as the command prints it and the admin shows it."""
        out = []
        for year in self.years:
            out.append(f"Academic year {year}: {self.pupil_days(year)} school days, {self.inset_count(year)} INSET days")
            for term in (t for t in self.terms if t.academic_year == year):
                out.append(f"  Term  {term.name}: {term.starts_on:%a %-d %b %Y} to {term.ends_on:%a %-d %b %Y}")
            for day, reason in self.inset_days:
                if academic_year_of(day) == year:
                    out.append(f"  INSET {day:%a %-d %b %Y}{': ' + reason if reason else ''}")
            for day, reason in self.closure_days:
                if academic_year_of(day) == year:
                    out.append(f"  Closed {day:%a %-d %b %Y}{': ' + reason if reason else ''}")
        out.extend(f"Note: {note}" for note in self.notes)
        out.extend(f"Left out: {event.label}" for event in self.unclassified)
        out.extend(f"Warning: {warning}" for warning in self.warnings())
        return out


def _london_date(value, *, is_end: bool) -> datetime.date:
    """A DTSTART or DTEND as the day it falls on in London. A timed end is inclusive, except at midnight."""
    if isinstance(value, datetime.datetime):
        local = value.astimezone(LONDON) if value.tzinfo else value
        if is_end and local.time() == datetime.time(0, 0):
            return local.date() - ONE_DAY
        return local.date()
    return value - ONE_DAY if is_end else value  # an all-day DTEND is the day after


def _categories(component) -> set[str]:
    found = set()
    raw = component.get("categories")
    for item in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        found.update(str(c).strip().upper() for c in getattr(item, "cats", [item]))
    return found


def _kind_by_label(summary: str, categories: set[str]) -> str:
    for kind in (INSET, CLOSURE, HOLIDAY, TERM):
        if kind.upper() in categories:
            return kind
    if {"HOLIDAYS", "BREAK"} & categories:
        return HOLIDAY
    name = summary.lower()
    if _INSET_WORDS.search(name):
        return INSET
    if _CLOSURE_WORDS.search(name):
        return CLOSURE
    if _HOLIDAY_WORDS.search(name):
        return HOLIDAY
    if _TERM_WORDS.search(name):
        return TERM
    return UNKNOWN


def read_events(data: bytes) -> list[Event]:
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        raise TermDatesError("This file is not an iCalendar (.ics) file.") from exc
    events = []
    for component in calendar.walk("VEVENT"):
        if component.get("dtstart") is None:
            continue
        summary = str(component.get("summary", "")).strip()
        try:
            start = component.decoded("dtstart")
            first = _london_date(start, is_end=False)
            end = component.decoded("dtend") if component.get("dtend") is not None else None
            if end is None and component.get("duration") is not None:
                end = start + component.decoded("duration")
            last = first if end is None else max(first, _london_date(end, is_end=True))
        except (ValueError, OverflowError, TypeError) as exc:  # icalendar's broken-property error is a ValueError
            raise TermDatesError(f"{summary or 'An event'}: its start or end date cannot be read ({exc}).") from exc
        events.append(Event(summary, first, last, _kind_by_label(summary, _categories(component))))
    return sorted(events, key=lambda e: (e.first, e.last))


def _weekdays(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        if day.weekday() < 5:
            yield day
        day += ONE_DAY


def _merge(spans):
    merged = []
    for first, last, name in sorted(spans):
        if merged and first <= merged[-1][1] + ONE_DAY:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last, name])
    return merged


def _by_shape(event: Event, terms: list[Event]) -> Event:
    """An unnamed event inside a term: one weekday is a day the school is closed to pupils only if named so,
    so it stays unclassified; a run of days that holds a weekend is a break in the term."""
    inside = any(t.first < event.first and event.last < t.last for t in terms)
    if inside and (event.last - event.first).days >= 2 and any(d.weekday() >= 5 for d in _dates(event)):
        return Event(event.summary, event.first, event.last, HOLIDAY, reason="a run of days inside a term")
    return event


def _dates(event: Event):
    day = event.first
    while day <= event.last:
        yield day
        day += ONE_DAY


def plan_from_events(events: list[Event]) -> Plan:
    plan = Plan()
    terms = [e for e in events if e.kind == TERM]
    events = [_by_shape(e, terms) if e.kind == UNKNOWN else e for e in events]
    plan.notes.extend(f"{e.label} is read as a holiday: {e.reason}." for e in events if e.reason)
    holidays = [e for e in events if e.kind == HOLIDAY]
    plan.unclassified = [e for e in events if e.kind == UNKNOWN]
    for e in events:
        for day in _weekdays(e.first, e.last):
            reason = e.summary.split(":", 1)[1].strip() if ":" in e.summary else e.summary
            if e.kind == INSET:
                plan.inset_days.append((day, reason[:200]))
            elif e.kind == CLOSURE:
                plan.closure_days.append((day, reason[:200]))
    pieces_of = defaultdict(int)
    for first, last, name in _merge((t.first, t.last, t.summary or "Term") for t in terms):
        # The term minus every holiday inside it, each piece a term part.
        pieces, start = [], first
        for holiday in (h for h in holidays if h.last >= first and h.first <= last):
            if holiday.first > start:
                pieces.append((start, min(last, holiday.first - ONE_DAY)))
            start = max(start, holiday.last + ONE_DAY)
        if start <= last:
            pieces.append((start, last))
        for piece_first, piece_last in pieces:
            piece_first, piece_last = _trim(piece_first, piece_last)
            if piece_first is None:
                continue
            pieces_of[name] += 1
            plan.terms.append(PlannedTerm(name, piece_first, piece_last))
    for term in plan.terms:  # "Autumn Term" split by its half term becomes "Autumn Term (1)" and "(2)"
        if pieces_of[term.name] > 1:
            numbered = [t for t in plan.terms if t.name == term.name]
            for n, same in enumerate(numbered, start=1):
                same.name = f"{same.name[:44]} ({n})"
    plan.inset_days.sort()
    plan.closure_days.sort()
    return plan


def _trim(first, last):
    """A term part runs from its first to its last weekday (INSET days inside it stay inside)."""
    while first <= last and first.weekday() >= 5:
        first += ONE_DAY
    while last >= first and last.weekday() >= 5:
        last -= ONE_DAY
    return (first, last) if first <= last else (None, None)


def read_plan(data: bytes) -> Plan:
    return plan_from_events(read_events(data))
