"""How acknowledgement of each current policy/guidance version grew, week by week since it was published.

For the people in the report's scope (the same rows and the same `Requirement.applies` test as the rest
of the report), the cumulative number who had acknowledged the version by the end of each week since
publication. For every version at once: the report's totals (who is in each audience) and the counts the database
keeps a version and a week (training/briefing_tallies.py), whatever the number of people or receipts; a
version whose counts include someone the report does not count is counted from its completions
(`BriefingCompletion`, grouped by week) in the same query.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from .briefing_sources import Requirement
from .briefing_table import TABLE, db_value, values_sql
from .models import BriefingCompletion, BriefingVersionTally, BriefingWeekTally

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


def _week_sql() -> str:
    """Whole weeks from the version's publication (r.since) to the acknowledgement (c.done_at)."""
    if connection.vendor == "postgresql":
        return "FLOOR(date_part('epoch', c.done_at - r.since) / 604800)"  # a float: numeric is slower
    return "CAST((julianday(c.done_at) - julianday(r.since)) / 7 AS INTEGER)"  # SQLite keeps text


def _done_by_week(table, wanted, bits, now, counted) -> dict[int, dict[int, int]]:
    """For each requirement i in `wanted`, how many of the table's people it applies to acknowledged it in
    each week since publication (before `now`), in one query.

    `counted[i]`: how many of the table's people it applies to have done it (the report's own count). When
    the version's week tally (training/briefing_tallies.py) holds every completion of the version, all
    before `now`, the answer is the tally less the completions of the people it does not apply to (people
    not in the table: leavers, deactivated accounts, other roles, other schools; and people in the table
    outside its audience), found from those people, not from every completion. Otherwise (a publication
    date moved, a completion dated after `now`, or more completions outside the table than in it, as in one
    school's report) it is counted from the completions joined with the table's people, as it always was."""
    current, params = values_sql(
        [
            (i, r.page_id, r.version_number, db_value(r.since), bits[i].group, bits[i].mask, counted[i])
            for i, r in wanted
        ]
    )
    groups = sorted({bits[i].group for i, _r in wanted})
    sql = " ".join(
        [
            f"WITH req(i, page_id, version_number, since, bit_group, mask, counted) AS ({current}),",
            f"tallied(i) AS ({_tallied_sql()}),",
            f"outside AS {_materialized()}({_outside_sql(table, wanted, bits, groups)})",
            _from_tally_sql(),
            "UNION ALL",
            _outside_tally_sql(groups),
            "UNION ALL",
            _from_completions_sql(table, groups),
        ]
    )
    counts: dict[int, dict[int, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, db_value(now), db_value(now)])
        for i, week, done in cursor.fetchall():
            by_week = counts.setdefault(i, {})
            by_week[int(week)] = by_week.get(int(week), 0) + done
    return counts


SAME_VERSION_AND_SINCE = "w.page_id = r.page_id AND w.version_number = r.version_number AND w.since = r.since"


def _tallied_sql() -> str:
    """The requirements whose week tally holds every completion of the version, all before now (one
    parameter: now), and no more of them by people outside the table than in it (else taking those away
    costs more than counting). Counts below zero mean rows counted under another since: not used."""
    weeks = BriefingWeekTally._meta.db_table
    return " ".join(
        [
            f"SELECT r.i FROM req r JOIN {BriefingVersionTally._meta.db_table} v",  # noqa: S608 - model names
            "ON v.page_id = r.page_id AND v.version_number = r.version_number",
            "WHERE v.done - r.counted <= r.counted AND v.last_done_at < %s",
            f"AND v.done = (SELECT COALESCE(SUM(w.done), 0) FROM {weeks} w WHERE {SAME_VERSION_AND_SINCE})",  # noqa: S608
            f"AND NOT EXISTS (SELECT 1 FROM {weeks} w WHERE {SAME_VERSION_AND_SINCE} AND w.done < 0)",  # noqa: S608
        ]
    )


def _from_tally_sql() -> str:
    weeks = BriefingWeekTally._meta.db_table
    return " ".join(
        [
            f"SELECT r.i, w.week, w.done FROM req r JOIN {weeks} w ON {SAME_VERSION_AND_SINCE}",  # noqa: S608
            "WHERE r.i IN (SELECT i FROM tallied) AND w.done <> 0",
        ]
    )


def _app_sql(alias, groups) -> str:
    """The mask of a person's requirements in requirement r's group."""
    if groups == [0]:
        return f"{alias}.app_0"
    return f"CASE r.bit_group {' '.join(f'WHEN {j} THEN {alias}.app_{j}' for j in groups)} END"


def _materialized() -> str:
    """PostgreSQL would otherwise work out the people outside once per requirement."""
    return "MATERIALIZED " if connection.vendor == "postgresql" else ""


def _outside_sql(table, wanted, bits, groups) -> str:
    """Everyone some wanted requirement does not apply to: every account not in the table (its masks 0),
    and the table's people missing one of the wanted requirements' bits."""
    users = get_user_model()._meta.db_table
    wanted_masks = {j: sum(bits[i].mask for i, _r in wanted if bits[i].group == j) for j in groups}
    zeros = ", ".join(f"0 AS app_{j}" for j in groups)
    masks = ", ".join(f"p.app_{j}" for j in groups)
    missing = " OR ".join(f"(p.app_{j} & {mask}) <> {mask}" for j, mask in wanted_masks.items())
    return " ".join(
        [
            f"SELECT u.id AS p_user, {zeros} FROM {users} u",  # noqa: S608 - names and masks from this module
            f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} t WHERE t.p_user = u.id)",  # noqa: S608
            "UNION ALL",
            f"SELECT p.p_user, {masks} FROM ({table.people_sql()}) p WHERE {missing}",  # noqa: S608
        ]
    )


def _outside_tally_sql(groups) -> str:
    """Taken away from the tallied requirements: the completions of the people they do not apply to."""
    return " ".join(
        [
            f"SELECT r.i, {_week_sql()} AS week, -COUNT(*) AS done FROM outside o",  # noqa: S608
            f"JOIN {BriefingCompletion._meta.db_table} c ON c.user_id = o.p_user",  # noqa: S608 - a model's name
            "JOIN req r ON c.page_id = r.page_id AND c.version_number = r.version_number",
            f"WHERE r.i IN (SELECT i FROM tallied) AND ({_app_sql('o', groups)} & r.mask) = 0",  # noqa: S608
            "GROUP BY r.i, week",
        ]
    )


def _from_completions_sql(table, groups) -> str:
    """The other requirements, counted from the completions of the table's people (one parameter: now)."""
    app = _app_sql("p", groups)
    return " ".join(
        [
            f"SELECT r.i, {_week_sql()} AS week, COUNT(*) AS done FROM {BriefingCompletion._meta.db_table} c",  # noqa: S608
            "JOIN req r ON c.page_id = r.page_id AND c.version_number = r.version_number",
            f"JOIN ({table.people_sql()}) p ON p.p_user = c.user_id",
            f"WHERE r.i NOT IN (SELECT i FROM tallied) AND c.done_at < %s AND (({app}) & r.mask) <> 0",  # noqa: S608
            "GROUP BY r.i, week",
        ]
    )


def growth_for(requirements, bits, now=None):
    """A function counting, over the report's flag table (training/briefing_table.py; `bits[i]` says where
    requirement i is in each person's masks), how many had acknowledged each version by the end of each
    week."""
    now = now or timezone.now()
    wanted = [(i, r) for i, r in enumerate(requirements) if r.kind != "Training" and r.since is not None]
    weeks_by = {i: week_numbers(requirement.since, now) for i, requirement in wanted}

    def build(table, totals) -> list[Growth]:
        """`totals`: the report's totals row (t_<i>: how many people in the table requirement i applies to;
        d_<i>: how many of them have done it)."""
        if not wanted:
            return []
        counted = {i: totals.get(f"d_{i}") or 0 for i, _r in wanted}
        # No one counted has done it: every week is 0, whoever else did it.
        done_by_someone = [(i, r) for i, r in wanted if counted[i]]
        by_week = _done_by_week(table, done_by_someone, bits, now, counted) if done_by_someone else {}
        return [
            _growth(requirement, weeks_by[i], totals.get(f"t_{i}") or 0, by_week.get(i, {}), now)
            for i, requirement in wanted
        ]

    return build


def _growth(requirement, weeks, total, by_week, now) -> Growth:
    points = [
        GrowthPoint(
            week=week,
            up_to=timezone.localdate(_cutoff(requirement.since, week, now) - timedelta(microseconds=1)),
            # Acknowledged by the end of that week: in it or before (or before publication, on paper).
            done=sum(done for done_in, done in by_week.items() if done_in <= week),
            total=total,
        )
        for week in weeks
    ]
    return Growth(requirement, requirement.since, total, points)
