"""How acknowledgement of each current policy/guidance version grew, week by week since it was published.

For the people in the report's scope (the same rows and the same `Requirement.applies` test as the rest
of the report), the cumulative number who had acknowledged the version by the end of each week since
publication. One count over the report's flag table for every version at once, whatever the number of
people or receipts.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from .briefing_sources import Requirement
from .briefing_table import db_value

WEEK = timedelta(days=7)
MAX_POINTS = 12

# Chart geometry (SVG user units; the SVG scales to its container through its viewBox).
CHART_WIDTH = 480
CHART_HEIGHT = 200
PLOT_LEFT = 40
PLOT_TOP = 10
PLOT_BOTTOM = 170
PLOT_RIGHT = 470


@dataclass
class GrowthPoint:
    week: int
    up_to: date  # the last day counted (today for the current week)
    done: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label_x: float
    point: GrowthPoint


@dataclass
class Growth:
    requirement: Requirement
    published: datetime
    total: int
    points: list[GrowthPoint]

    @property
    def latest(self) -> GrowthPoint:
        return self.points[-1]

    @property
    def description(self) -> str:
        latest = self.latest
        share = "no one in the audience" if latest.percent is None else f"{latest.percent}%"
        return (
            f"{self.requirement.title} ({self.requirement.version}): {latest.done} of {latest.total} people "
            f"({share}) had acknowledged by {_day(latest.up_to)}, week {latest.week} since publication "
            f"on {_day(timezone.localdate(self.published))}."
        )

    @property
    def bars(self) -> list[Bar]:
        slot = (PLOT_RIGHT - PLOT_LEFT) / len(self.points)
        width = slot * 0.7
        plot_height = PLOT_BOTTOM - PLOT_TOP
        bars = []
        for n, point in enumerate(self.points):
            height = round(plot_height * (point.percent or 0) / 100, 1)
            x = round(PLOT_LEFT + n * slot + (slot - width) / 2, 1)
            bars.append(Bar(x, round(PLOT_BOTTOM - height, 1), round(width, 1), height, round(x + width / 2, 1), point))
        return bars

    chart_width = CHART_WIDTH
    chart_height = CHART_HEIGHT
    plot_left = PLOT_LEFT
    plot_right = PLOT_RIGHT
    plot_top = PLOT_TOP
    plot_bottom = PLOT_BOTTOM
    plot_middle = (PLOT_TOP + PLOT_BOTTOM) // 2


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def week_numbers(since: datetime, now: datetime) -> list[int]:
    """Weeks 0..n since `since` (n: the current week), at most MAX_POINTS of them, always 0 and n."""
    last = max(0, (now - since) // WEEK)
    if last < MAX_POINTS:
        return list(range(last + 1))
    return sorted({round(i * last / (MAX_POINTS - 1)) for i in range(MAX_POINTS)})


def _cutoff(since, week, now):
    return min(since + (week + 1) * WEEK, now)


def growth_for(requirements, applies, now=None):
    """A function counting, over the report's flag table (training/briefing_table.py: `applies[i]` names the
    column saying whether requirement i applies; done_<i> is when the person did it), how many had
    acknowledged each version by the end of each week."""
    now = now or timezone.now()
    wanted = [(i, r) for i, r in enumerate(requirements) if r.kind != "Training" and r.since is not None]
    weeks_by = {i: week_numbers(requirement.since, now) for i, requirement in wanted}

    def build(table) -> list[Growth]:
        if not wanted:
            return []
        counts = {}
        for i, requirement in wanted:
            counts[f"gt_{i}"] = (applies[i], [])
            for week in weeks_by[i]:
                cutoff = db_value(_cutoff(requirement.since, week, now))
                counts[f"g_{i}_{week}"] = (f"{applies[i]} AND done_{i} < %s", [cutoff])
        (row,) = table.count([], counts)
        return [_growth(requirement, weeks_by[i], row, i, now) for i, requirement in wanted]

    return build


def _growth(requirement, weeks, row, i, now) -> Growth:
    total = row.get(f"gt_{i}") or 0
    points = [
        GrowthPoint(
            week=week,
            up_to=timezone.localdate(_cutoff(requirement.since, week, now) - timedelta(microseconds=1)),
            done=row.get(f"g_{i}_{week}") or 0,
            total=total,
        )
        for week in weeks
    ]
    return Growth(requirement, requirement.since, total, points)
