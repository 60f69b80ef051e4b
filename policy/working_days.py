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
