"""Dates a person could mean: the one place that says how far from today each casework date may be.

Two questions, one table:

- Typing a date (`entry_problem`): every date field of the casework forms, the admin's and the delegates',
  must fall in its window: a date of birth within the last 25 years and not in the future, a child's
  care and school dates within 20 years back and a year ahead, the dates of plans, reviews, targets,
  activities and transfers within 10 years back and 3 years ahead. The message names the field.
- A date already stored (`looks_wrong`), however it got there (an import, a hand edit): one far outside
  any window (the window widened by `STORED_SLACK_YEARS`, because records are kept for years after they
  were typed: to date of birth + 31 years, longer on a legal hold) is flagged on the page as
  "Date of birth looks wrong: check the record", and the deadline engine never counts from it.
"""

import datetime
from dataclasses import dataclass

from django.utils.text import capfirst

# Records are kept long after their dates were typed: a stored date may be this much older than a typed one.
STORED_SLACK_YEARS = 40
# ...and, where a date may be ahead of today at all, this much further ahead.
STORED_SLACK_AHEAD_YEARS = 5


def shift_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (earlier when negative); 28 February for 29 February; clamped to what a
    date can hold, so it never raises."""
    year = day.year + years
    if year > datetime.MAXYEAR:
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=year, day=28)


def _years(n: int) -> str:
    return "a year" if n == 1 else f"{n} years"


@dataclass(frozen=True)
class Window:
    back_years: int
    ahead_years: int  # 0: not in the future

    def bounds(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        return shift_years(today, -self.back_years), shift_years(today, self.ahead_years)

    def entry_problem(self, label: str, value: datetime.date, today: datetime.date) -> str:
        """Why a typed date is refused, in words naming the field; empty when it is fine."""
        earliest, latest = self.bounds(today)
        if value < earliest:
            return f"{label} must be within the last {_years(self.back_years)}."
        if value > latest:
            if not self.ahead_years:
                return f"{label} cannot be in the future."
            return f"{label} must be no more than {_years(self.ahead_years)} ahead, on or before {latest:%-d %B %Y}."
        return ""

    def looks_wrong(self, value: datetime.date | None, today: datetime.date) -> bool:
        """A stored date no one could have meant, allowing for records kept for years after they were typed."""
        if value is None:
            return False
        earliest = shift_years(today, -(self.back_years + STORED_SLACK_YEARS))
        latest = shift_years(today, self.ahead_years + STORED_SLACK_AHEAD_YEARS) if self.ahead_years else today
        return not earliest <= value <= latest


CHILD_DATES = Window(back_years=20, ahead_years=1)
CASE_DATES = Window(back_years=10, ahead_years=3)
PAST_CASE_DATES = Window(back_years=10, ahead_years=0)

# (model label, field name) -> its window. Any other date field on a casework form gets DEFAULT.
WINDOWS = {
    ("casework.child", "date_of_birth"): Window(back_years=25, ahead_years=0),
    ("casework.child", "entered_care_on"): CHILD_DATES,
    ("casework.child", "started_on"): CHILD_DATES,
    ("casework.child", "left_on"): CHILD_DATES,
    ("casework.child", "pep_before_portal_on"): PAST_CASE_DATES,
    ("casework.child", "identity_change_effective_on"): Window(back_years=25, ahead_years=0),
    ("casework.pep", "period_starts_on"): CASE_DATES,
    ("casework.pep", "period_ends_on"): CASE_DATES,
    ("casework.pep", "meeting_date"): CASE_DATES,
    ("casework.review", "held_on"): CASE_DATES,
    ("casework.review", "report_sent_on"): PAST_CASE_DATES,
    ("casework.review", "next_review_on"): CASE_DATES,
    ("casework.target", "by_when"): CASE_DATES,
    ("casework.targetprogress", "noted_on"): PAST_CASE_DATES,
    ("casework.activity", "starts_on"): CASE_DATES,
    ("casework.activity", "ends_on"): CASE_DATES,
    ("casework.linkedplan", "dated"): CASE_DATES,
    ("casework.transition", "left_on"): CASE_DATES,
}
DEFAULT = CASE_DATES


def window_for(model, name: str) -> Window:
    return WINDOWS.get((model._meta.label_lower, name), DEFAULT)


def field_label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


# --- typed dates: the forms ---------------------------------------------------------------------------
class PlausibleDatesMixin:
    """For a ModelForm: each date field typed outside its window is refused with a message naming it, and the
    typed values are kept (the form is shown again). A date left as it was stored is only refused when it
    looks wrong, so a record typed years ago can still be edited."""

    def clean(self):
        cleaned = super().clean()
        from django import forms
        from django.utils import timezone

        today = timezone.localdate()
        model = self._meta.model
        changed = set(self.changed_data)
        self.refused_dates = set()
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if not isinstance(field, forms.DateField) or isinstance(value, datetime.datetime) or value is None:
                continue
            window = window_for(model, name)
            label = field.label or capfirst(name.replace("_", " "))
            if name in changed or not self.instance.pk:
                problem = window.entry_problem(str(label), value, today)
            else:
                problem = (
                    f"{label} looks wrong: enter the date it should be." if window.looks_wrong(value, today) else ""
                )
            if problem:
                self.refused_dates.add(name)
                self.add_error(name, problem)
        return cleaned

    def _update_errors(self, errors):
        """The model's own checks on a date already refused here (missing, outside the PEP's period) would only
        repeat the problem less clearly: one message per field."""
        refused = getattr(self, "refused_dates", set())
        if refused and hasattr(errors, "error_dict"):
            from django.core.exceptions import ValidationError

            kept = {name: messages for name, messages in errors.error_dict.items() if name not in refused}
            if not kept:
                return
            errors = ValidationError(kept)
        super()._update_errors(errors)


# --- stored dates: what the pages flag -----------------------------------------------------------------
def stored_problem(obj, name: str, today: datetime.date, where: str = "") -> str:
    """'Date of birth looks wrong: check the record' when the stored value looks wrong; empty otherwise."""
    model = type(obj)
    if not window_for(model, name).looks_wrong(getattr(obj, name), today):
        return ""
    label = field_label(model, name)
    return f"{label}{f' ({where})' if where else ''} looks wrong: check the record"


def child_record_problems(child, today: datetime.date) -> dict[tuple[str, int, str], str]:
    """Every stored date of the child's record the deadlines read that looks wrong, keyed (model, pk, field).
    Uses only the relations the casework screens prefetch (PEPs with targets, reviews, transitions)."""
    found = {}

    def check(obj, names, where=""):
        for name in names:
            problem = stored_problem(obj, name, today, where)
            if problem:
                found[(obj._meta.model_name, obj.pk, name)] = problem

    check(child, ("date_of_birth", "entered_care_on", "started_on", "left_on", "pep_before_portal_on"))
    for pep in child.peps.all():
        check(
            pep,
            ("period_starts_on", "period_ends_on", "meeting_date"),
            f"PEP {pep.get_term_display()} {pep.academic_year}",
        )
        for target in pep.targets.all():
            check(target, ("by_when",), f"{target.area or 'target'} target")
    for review in child.reviews.all():
        check(review, ("held_on",), "a review")
        held = "" if stored_problem(review, "held_on", today) else f" of {review.held_on:%-d %B %Y}"
        check(review, ("report_sent_on", "next_review_on"), f"review{held}")
    for transition in child.transitions.all():
        check(transition, ("left_on",), f"move to {transition.receiving_school}")
    return found
