"""How acknowledgement of each current policy/guidance version grew, week by week since it was published.

For the people in the report's scope (`briefing._people`, the same rows and the same `Requirement.applies`
test as the rest of the report), the cumulative number who had acknowledged the version by the end of
each week since publication. One aggregate query for every version at once, whatever the number of
people or receipts.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from .briefing_sources import Requirement

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


def _acknowledged_at(requirement: Requirement, user_field="user_id"):
    from policy.models import ReadReceipt

    number = int(requirement.version.rsplit(" ", 1)[-1])
    receipts = ReadReceipt.objects.filter(
        user=OuterRef(user_field), page_id=requirement.page_id, version_number=number
    ).order_by("acknowledged_at")
    return Subquery(receipts.values("acknowledged_at")[:1])


def build_growth(flagged, requirements, now=None) -> list[Growth]:
    """`flagged`: the report's people with `req_<i>` aliases (briefing.requirement_flags) for `requirements`."""
    now = now or timezone.now()
    wanted = [(i, r) for i, r in enumerate(requirements) if r.kind != "Training" and r.since is not None]
    if not wanted:
        return []
    aliases, counts, weeks_by = {}, {}, {}
    for i, requirement in wanted:
        aliases[f"ack_{i}"] = _acknowledged_at(requirement)
        counts[f"gt_{i}"] = Count("user_id", distinct=True, filter=Q(**{f"req_{i}": True}))
        weeks_by[i] = week_numbers(requirement.since, now)
        for week in weeks_by[i]:
            cutoff = _cutoff(requirement.since, week, now)
            counts[f"g_{i}_{week}"] = Count(
                "user_id", distinct=True, filter=Q(**{f"req_{i}": True, f"ack_{i}__lt": cutoff})
            )
    row = flagged.alias(**aliases).aggregate(**counts)
    growth = []
    for i, requirement in wanted:
        total = row.get(f"gt_{i}") or 0
        points = [
            GrowthPoint(
                week=week,
                up_to=timezone.localdate(_cutoff(requirement.since, week, now) - timedelta(microseconds=1)),
                done=row.get(f"g_{i}_{week}") or 0,
                total=total,
            )
            for week in weeks_by[i]
        ]
        growth.append(Growth(requirement, requirement.since, total, points))
    return growth
