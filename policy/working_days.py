"""Working days: weekdays that are not England bank holidays (school holidays count)."""

from datetime import date, timedelta

import holidays

_ENGLAND = holidays.country_holidays("GB", subdiv="ENG")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _ENGLAND


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (the day after the event is the first that can count)."""
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    sign, (low, high) = (1, (start, end)) if end >= start else (-1, (end, start))
    count, day = 0, low
    while day < high:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return sign * count


def due_phrase(due_on: date, today: date) -> str:
    """"due in 7 working days (Wednesday 9 December 2026)", "due today (…)", "overdue by 2 working days (…)"."""
    when = f"{due_on:%A} {due_on.day} {due_on:%B %Y}"
    if due_on == today:
        return f"due today ({when})"
    days = working_days_between(today, due_on)
    if due_on > today:
        if days == 0:  # due on a weekend or bank holiday before the next working day
            return f"due {when}"
        return f"due in {days} working day{'s' if days != 1 else ''} ({when})"
    late = -days
    if late == 0:
        return f"overdue (was due {when})"
    return f"overdue by {late} working day{'s' if late != 1 else ''} (was due {when})"
