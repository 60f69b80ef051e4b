"""Briefing completion: who has acknowledged every policy version and completed every training module
required of them, counted in the database in a fixed number of queries whatever the number of people.

A person is briefed when no requirement that applies to them is left undone (see briefing_sources).
People are counted through their current school memberships as staff or governors (the rows of the
report); requirements apply through any of their current roles.
"""

from dataclasses import dataclass, field

from django.db.models import F, Q

from trust.enums import Role
from trust.models import Membership, School

from .briefing_growth import growth_for
from .briefing_sources import Requirement, all_requirements
from .briefing_table import flag_table

ROLE_ROWS = [(Role.STAFF, "Staff"), (Role.GOVERNOR, "Governors")]
COUNTED_ROLES = [role for role, _label in ROLE_ROWS]


@dataclass
class Figure:
    label: str
    total: int = 0
    done: int = 0

    @property
    def outstanding(self) -> int:
        return self.total - self.done

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


@dataclass
class ItemFigure:
    requirement: Requirement
    figure: Figure


@dataclass
class OutstandingPerson:
    name: str
    email: str
    roles: list[str]
    items: list[str]


@dataclass
class SchoolBriefing:
    school: School | None  # None: the totals across the schools shown
    overall: Figure
    by_role: list[Figure]
    by_item: list[ItemFigure]
    outstanding_people: list[OutstandingPerson] | None = None  # None: names not shown to this person
    casework: object = None  # oversight.CaseworkFigures, figures only


@dataclass
class BriefingReport:
    schools: list[SchoolBriefing]
    totals: SchoolBriefing
    requirements: list[Requirement] = field(default_factory=list)
    growth: list = field(default_factory=list)  # briefing_growth.Growth per policy version, for the whole scope


def _people(school_ids):
    people = Membership.objects.current().filter(role__in=COUNTED_ROLES, user__is_active=True)
    return people if school_ids is None else people.filter(school_id__in=school_ids)


def requirement_flags(requirements, user_field="user_id"):
    """Aliases req_<i> (it applies to the person) and done_<i> (they have done it) for each requirement."""
    flags = {}
    for i, requirement in enumerate(requirements):
        flags[f"req_{i}"] = requirement.applies(user_field)
        flags[f"done_{i}"] = requirement.done(user_field)
    return flags


def outstanding_q_for(requirements) -> Q | None:
    q = None
    for i in range(len(requirements)):
        term = Q(**{f"req_{i}": True, f"done_{i}": False})
        q = term if q is None else q | term
    return q


# --- Counting over the flag table (training/briefing_table.py) ------------------------------------
def _outstanding_sql(applies) -> str | None:
    terms = [f"({column} AND done_{i} IS NULL)" for i, column in enumerate(applies)]
    return " OR ".join(terms) if terms else None


def _person_counts(applies) -> dict:
    return {"total": (None, []), "outstanding": (_outstanding_sql(applies) or "1 = 0", [])}


def _item_counts(applies) -> dict:
    counts = {}
    for i, column in enumerate(applies):
        counts[f"t_{i}"] = (column, [])
        counts[f"d_{i}"] = (f"{column} AND done_{i} IS NOT NULL", [])
    return counts


def _figure(label, row) -> Figure:
    total = row.get("total", 0) if row else 0
    return Figure(label, total, total - (row.get("outstanding", 0) if row else 0))


def _items(requirements, row) -> list[ItemFigure]:
    return [
        ItemFigure(r, Figure(r.title, row.get(f"t_{i}", 0) if row else 0, row.get(f"d_{i}", 0) if row else 0))
        for i, r in enumerate(requirements)
    ]


def _outstanding_people(table, requirements, applies, school_ids) -> dict[int, list[OutstandingPerson]]:
    outstanding = _outstanding_sql(applies)
    if outstanding is None or not school_ids:
        return {}
    flags = sorted(set(applies)) + [f"done_{i}" for i in range(len(requirements))]
    rows = table.select(
        ["p_school", "p_user", "p_role", "p_first_name", "p_last_name", "p_email", *flags],
        where=f"p_school IN ({', '.join(['%s'] * len(school_ids))}) AND ({outstanding})",
        params=list(school_ids),
        order_by=["p_school", "p_last_name", "p_first_name", "p_user"],
    )
    labels = dict(ROLE_ROWS)
    people: dict[int, dict[int, OutstandingPerson]] = {}
    for row in rows:
        by_user = people.setdefault(row["p_school"], {})
        person = by_user.get(row["p_user"])
        if person is None:
            items = [
                f"{r.title}{f' ({r.version})' if r.version else ''}"
                for i, r in enumerate(requirements)
                if row[applies[i]] and row[f"done_{i}"] is None
            ]
            name = f"{row['p_first_name']} {row['p_last_name']}".strip() or row["p_email"]
            person = by_user[row["p_user"]] = OutstandingPerson(name, row["p_email"], [], items)
        person.roles.append(labels.get(row["p_role"], row["p_role"]))
    return {school_id: list(by_user.values()) for school_id, by_user in people.items()}


def _rows(school_ids, requirements):
    """The report's rows, one per counted membership, and for each requirement the column saying whether it
    applies to the person.

    Columns: aud_<k>, whether an audience includes the person (requirements with the same audience share
    one: most policies have the same), and done_<i>, when the person did requirement i (NULL: not yet).
    """
    columns, applies, audiences = {}, [], {}
    for i, requirement in enumerate(requirements):
        audience = (requirement.kind == "Training", requirement.roles, requirement.school_ids)
        if audience not in audiences:
            audiences[audience] = f"aud_{len(audiences)}"
            columns[audiences[audience]] = requirement.applies()
        applies.append(audiences[audience])
        columns[f"done_{i}"] = requirement.done_at()
    rows = (
        _people(school_ids)
        .annotate(**columns)
        .values(
            *columns,
            p_school=F("school_id"),
            p_role=F("role"),
            p_user=F("user_id"),
            p_first_name=F("user__first_name"),
            p_last_name=F("user__last_name"),
            p_email=F("user__email"),
        )
        .order_by()
    )
    return rows, applies


def build_report(school_ids=None, *, names_for=frozenset()) -> BriefingReport:
    """Completion for `school_ids` (None: every school); names of outstanding people for `names_for`."""
    requirements = all_requirements()
    schools = School.objects.order_by("name")
    if school_ids is not None:
        schools = schools.filter(pk__in=school_ids)
    schools = list(schools)
    rows, applies = _rows(school_ids, requirements)
    person_counts = _person_counts(applies)
    item_counts = _item_counts(applies)
    build_growth = growth_for(requirements, applies)

    with flag_table(rows) as table:
        overall = {r["p_school"]: r for r in table.count(["p_school"], person_counts)}
        by_role = {(r["p_school"], r["p_role"]): r for r in table.count(["p_school", "p_role"], person_counts)}
        items = {r["p_school"]: r for r in table.count(["p_school"], item_counts)} if item_counts else {}
        (totals_overall,) = table.count([], person_counts)
        totals_by_role = {r["p_role"]: r for r in table.count(["p_role"], person_counts)}
        (totals_items,) = table.count([], item_counts) if item_counts else ({},)
        growth = build_growth(table)
        names = _outstanding_people(table, requirements, applies, [s.pk for s in schools if s.pk in names_for])

    reports = [
        SchoolBriefing(
            school=school,
            overall=_figure("Everyone", overall.get(school.pk)),
            by_role=[_figure(label, by_role.get((school.pk, role))) for role, label in ROLE_ROWS],
            by_item=_items(requirements, items.get(school.pk)),
            outstanding_people=names.get(school.pk, []) if school.pk in names_for else None,
        )
        for school in schools
    ]
    totals = SchoolBriefing(
        school=None,
        overall=_figure("Everyone", totals_overall),
        by_role=[_figure(label, totals_by_role.get(role)) for role, label in ROLE_ROWS],
        by_item=_items(requirements, totals_items),
    )
    return BriefingReport(schools=reports, totals=totals, requirements=requirements, growth=growth)


def build_summary(school_ids=None) -> SchoolBriefing:
    """Only the totals by role across `school_ids` (for dashboards)."""
    rows, applies = _rows(school_ids, all_requirements())
    person_counts = _person_counts(applies)
    with flag_table(rows) as table:
        (overall,) = table.count([], person_counts)
        by_role = {r["p_role"]: r for r in table.count(["p_role"], person_counts)}
    return SchoolBriefing(
        school=None,
        overall=_figure("Everyone", overall),
        by_role=[_figure(label, by_role.get(role)) for role, label in ROLE_ROWS],
        by_item=[],
    )


def is_briefed(user) -> bool:
    """One person: every requirement that applies to them is done (two queries plus the requirements)."""
    from django.contrib.auth import get_user_model

    requirements = all_requirements()
    outstanding_q = outstanding_q_for(requirements)
    if outstanding_q is None:
        return True
    person = get_user_model().objects.filter(pk=user.pk).alias(**requirement_flags(requirements, "pk"))
    return not person.filter(outstanding_q).exists()
