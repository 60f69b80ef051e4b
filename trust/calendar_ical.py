"""Term dates in and out as iCalendar (RFC 5545) through the `icalendar` package.

Export: every term part is an all-day event with CATEGORIES:TERM, every INSET or closure day one
with CATEGORIES:INSET or CLOSURE. Import reads the same, and the files local authorities and schools
publish, through the plan in trust/term_dates.py, which a person sees before anything is saved.
"""

import datetime
from dataclasses import dataclass, field

import icalendar
from django.db import transaction

from .calendar_models import NonTeachingDay, Term, academic_year_of
from .term_dates import Plan, TermDatesError, read_plan

PRODID = "-//Symphony Learning Trust//Staff portal school calendar//EN"


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


def read_calendar(data: bytes) -> Plan:
    """The plan a file gives (trust/term_dates.py), or a CalendarImportError saying why it cannot be read."""
    try:
        return read_plan(data)
    except TermDatesError as exc:
        raise CalendarImportError(str(exc)) from exc


@transaction.atomic
def import_calendar(school, data: bytes, replace: bool = False, ignore_unclassified: bool = False) -> ImportResult:
    """Save the file's terms and INSET/closure days to the school's calendar (replacing those years if asked).
    Refuses, saving nothing, when the plan has a reason to (see Plan.refusals)."""
    plan = read_calendar(data)
    refusals = plan.refusals(ignore_unclassified=ignore_unclassified)
    if refusals:
        raise CalendarImportError(" ".join(refusals))
    result = ImportResult(skipped=[e.label for e in plan.unclassified])
    if replace:
        years = set(plan.years)
        Term.objects.filter(school=school, academic_year__in=years).delete()
        for day in NonTeachingDay.objects.filter(school=school):
            if academic_year_of(day.date) in years:
                day.delete()
    for planned in plan.terms:
        term = Term(
            school=school,
            academic_year=planned.academic_year,
            name=planned.name[:50],
            starts_on=planned.starts_on,
            ends_on=planned.ends_on,
        )
        term.full_clean()
        term.save()
        result.terms += 1
    for days, kind in ((plan.inset_days, NonTeachingDay.Kind.INSET), (plan.closure_days, NonTeachingDay.Kind.CLOSURE)):
        for day, reason in days:
            NonTeachingDay.objects.update_or_create(school=school, date=day, defaults={"kind": kind, "reason": reason})
            if kind == NonTeachingDay.Kind.INSET:
                result.inset_days += 1
            else:
                result.closure_days += 1
    return result
