"""Term dates in and out as iCalendar (RFC 5545) through the `icalendar` package.

Export: every term part is an all-day event with CATEGORIES:TERM, every INSET or closure day one
with CATEGORIES:INSET or CLOSURE. Import reads the same, and also the files local authorities and
schools publish: an event is an INSET or closure day when its category or summary says so, and a term
part otherwise. Events named as holidays or half terms are skipped (the gaps between terms are the
holidays).
"""

import datetime
from dataclasses import dataclass, field

import icalendar
from django.db import transaction

from .calendar_models import NonTeachingDay, Term, academic_year_of

PRODID = "-//Symphony Learning Trust//Staff portal school calendar//EN"
_SKIP_WORDS = ("holiday", "half term", "half-term", "bank holiday")


@dataclass
class ImportResult:
    terms: int = 0
    inset_days: int = 0
    closure_days: int = 0
    skipped: list[str] = field(default_factory=list)


class CalendarImportError(ValueError):
    pass


def export_calendar(school, academic_year: str | None = None) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{school.name} term dates")
    terms = Term.objects.filter(school=school)
    days = NonTeachingDay.objects.filter(school=school)
    if academic_year:
        terms = terms.filter(academic_year=academic_year)
    for term in terms:
        event = icalendar.Event()
        event.add("uid", f"term-{term.pk}@{school.slug}.symphony.example")
        event.add("summary", term.name)
        event.add("dtstart", term.starts_on)
        event.add("dtend", term.ends_on + datetime.timedelta(days=1))  # DTEND is exclusive
        event.add("categories", ["TERM"])
        event.add("x-academic-year", term.academic_year)
        cal.add_component(event)
    for day in days:
        if academic_year and academic_year_of(day.date) != academic_year:
            continue
        event = icalendar.Event()
        event.add("uid", f"{day.kind}-{day.pk}@{school.slug}.symphony.example")
        event.add("summary", f"{day.get_kind_display()}: {day.reason}" if day.reason else day.get_kind_display())
        event.add("dtstart", day.date)
        event.add("dtend", day.date + datetime.timedelta(days=1))
        event.add("categories", [day.kind.upper()])
        cal.add_component(event)
    return cal.to_ical()


def _as_date(value) -> datetime.date:
    value = value.dt if hasattr(value, "dt") else value
    return value.date() if isinstance(value, datetime.datetime) else value


def _categories(event) -> set[str]:
    found = set()
    raw = event.get("categories")
    for item in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        found.update(str(c).upper() for c in getattr(item, "cats", [item]))
    return found


def parse_calendar(data: bytes):
    try:
        cal = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        raise CalendarImportError("This file is not an iCalendar (.ics) file.") from exc
    for event in cal.walk("VEVENT"):
        if event.get("dtstart") is None:
            continue
        try:
            start = _as_date(event.get("dtstart"))
            end = _as_date(event.get("dtend")) - datetime.timedelta(days=1) if event.get("dtend") else start
        except (ValueError, OverflowError) as exc:  # icalendar's broken-property error is a ValueError
            summary = str(event.get("summary", "")).strip() or "an event"
            raise CalendarImportError(f"{summary}: its start or end date cannot be read ({exc}).") from exc
        yield str(event.get("summary", "")).strip(), _categories(event), start, max(start, end)


@transaction.atomic
def import_calendar(school, data: bytes, replace: bool = False) -> ImportResult:
    """Add the file's terms and INSET/closure days to the school's calendar (replacing those years if asked)."""
    result = ImportResult()
    events = list(parse_calendar(data))
    if replace:
        years = {academic_year_of(start) for _, _, start, _ in events}
        Term.objects.filter(school=school, academic_year__in=years).delete()
        for day in NonTeachingDay.objects.filter(school=school):
            if academic_year_of(day.date) in years:
                day.delete()
    for summary, categories, start, end in events:
        lowered = summary.lower()
        if "INSET" in categories or "inset" in lowered or "training day" in lowered:
            kind = NonTeachingDay.Kind.INSET
        elif "CLOSURE" in categories or "closure" in lowered or "closed" in lowered:
            kind = NonTeachingDay.Kind.CLOSURE
        elif "TERM" in categories or not any(word in lowered for word in _SKIP_WORDS):
            kind = None
        else:
            result.skipped.append(summary or f"event on {start:%d %b %Y}")
            continue
        if kind is None:
            term = Term(
                school=school,
                academic_year=academic_year_of(start),
                name=summary[:50] or "Term",
                starts_on=start,
                ends_on=end,
            )
            term.full_clean()
            term.save()
            result.terms += 1
            continue
        reason = summary.split(":", 1)[1].strip() if ":" in summary else ""
        day = start
        while day <= end:
            if day.weekday() < 5:
                _, created = NonTeachingDay.objects.update_or_create(
                    school=school, date=day, defaults={"kind": kind, "reason": reason[:200]}
                )
                if kind == NonTeachingDay.Kind.INSET:
                    result.inset_days += 1
                else:
                    result.closure_days += 1
            day += datetime.timedelta(days=1)
    return result
