"""The designated teacher's annual report to the governing board, per school and academic year (a PDF).

DOMAIN ("Governors"): the governing board must at least consider an annual report from the designated
teacher, and such reports must not name children. So the report holds figures only: the casework
oversight figures (`oversight.py`), the school's briefing completion (numbers, no names) and the
designated teacher's Local Authority training (course, provider, date). Nothing here reads a child's
name, date of birth or UPN.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from trust.calendar_models import academic_year_bounds, academic_year_of, validate_academic_year

from . import briefing_cache
from .la_flags import designated_teacher_training
from .models import LocalAuthorityTraining
from .oversight import casework_oversight

TITLE = "Designated teacher's annual report to the governing board"


def chosen_year(value: str | None, today: date | None = None) -> str:
    """The academic year asked for ("2025/26"), the current one when none is given; a clear error otherwise."""
    today = today or timezone.localdate()
    current = academic_year_of(today)
    value = (value or "").strip()
    if not value:
        return current
    validate_academic_year(value)
    if value > current:
        raise ValidationError(f"The report can cover {current} or an earlier academic year, not {value}.")
    return value


@dataclass
class DesignatedTeacherRow:
    name: str
    last_attended: date | None
    due: bool
    courses: list  # this year's LocalAuthorityTraining records: course, provider, date


def _designated_teachers(school, starts, ends):
    rows = designated_teacher_training([school.pk])
    records = (
        LocalAuthorityTraining.objects.filter(
            school=school, attendee_id__in=[r.membership.user_id for r in rows], attended_on__range=(starts, ends)
        )
        .order_by("attended_on", "course")
        .only("attendee_id", "course", "provider", "attended_on")
    )
    by_person: dict[int, list] = {}
    for record in records:
        by_person.setdefault(record.attendee_id, []).append(record)
    return [
        DesignatedTeacherRow(
            name=r.membership.user.get_full_name() or r.membership.user.email,
            last_attended=r.last_attended,
            due=r.due,
            courses=by_person.get(r.membership.user_id, []),
        )
        for r in rows
    ]


def report_context(school, year: str) -> dict:
    today = timezone.localdate()
    starts, ends = academic_year_bounds(year)
    as_of = min(today, ends)
    briefing = briefing_cache.report({school.pk}, names_for=frozenset())  # numbers only: never names
    figures = casework_oversight([school.pk], as_of=as_of, academic_year=year).get(school.pk)
    return {
        "title": TITLE,
        "school": school,
        "year": year,
        "starts": starts,
        "ends": ends,
        "as_of": as_of,
        "generated": timezone.now(),
        "casework": figures,
        "briefing": briefing.schools[0] if briefing.schools else None,
        "designated_teachers": _designated_teachers(school, starts, ends),
    }


def render_html(school, year: str) -> str:
    return render_to_string("training/briefing/annual_report_pdf.html", report_context(school, year))


def render_pdf(school, year: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(school, year), base_url=None).write_pdf()
