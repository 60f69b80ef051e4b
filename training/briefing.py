"""Briefing completion: who has acknowledged every policy version and completed every training module
required of them, counted in the database in a fixed number of queries whatever the number of people.

A person is briefed when no requirement that applies to them is left undone (see briefing_sources).
People are counted through their current school memberships as staff or governors (the rows of the
report); requirements apply through any of their current roles.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from trust.enums import Role
from trust.models import Membership, School

from .briefing_growth import build_growth
from .briefing_sources import Requirement, all_requirements

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


def _person_counts(outstanding_q):
    counts = {"total": Count("user_id", distinct=True)}
    if outstanding_q is not None:
        counts["outstanding"] = Count("user_id", distinct=True, filter=outstanding_q)
    return counts


def _item_counts(requirements):
    counts = {}
    for i in range(len(requirements)):
        counts[f"t_{i}"] = Count("user_id", distinct=True, filter=Q(**{f"req_{i}": True}))
        counts[f"d_{i}"] = Count("user_id", distinct=True, filter=Q(**{f"req_{i}": True, f"done_{i}": True}))
    return counts


def _figure(label, row) -> Figure:
    total = row.get("total", 0) if row else 0
    return Figure(label, total, total - (row.get("outstanding", 0) if row else 0))


def _items(requirements, row) -> list[ItemFigure]:
    return [
        ItemFigure(r, Figure(r.title, row.get(f"t_{i}", 0) if row else 0, row.get(f"d_{i}", 0) if row else 0))
        for i, r in enumerate(requirements)
    ]


def _outstanding_people(flagged, requirements, school_ids) -> dict[int, list[OutstandingPerson]]:
    outstanding_q = outstanding_q_for(requirements)
    if outstanding_q is None or not school_ids:
        return {}
    names = [f"req_{i}" for i in range(len(requirements))] + [f"done_{i}" for i in range(len(requirements))]
    rows = (
        flagged.filter(school_id__in=school_ids)
        .filter(outstanding_q)
        .annotate(**{f"{n}_v": Q(**{n: True}) for n in names})
        .values(
            "school_id",
            "user_id",
            "role",
            "user__first_name",
            "user__last_name",
            "user__email",
            *[f"{n}_v" for n in names],
        )
        .order_by("school_id", "user__last_name", "user__first_name", "user_id")
    )
    labels = dict(ROLE_ROWS)
    people: dict[int, dict[int, OutstandingPerson]] = {}
    for row in rows:
        by_user = people.setdefault(row["school_id"], {})
        person = by_user.get(row["user_id"])
        if person is None:
            items = [
                f"{r.title}{f' ({r.version})' if r.version else ''}"
                for i, r in enumerate(requirements)
                if row[f"req_{i}_v"] and not row[f"done_{i}_v"]
            ]
            name = f"{row['user__first_name']} {row['user__last_name']}".strip() or row["user__email"]
            person = by_user[row["user_id"]] = OutstandingPerson(name, row["user__email"], [], items)
        person.roles.append(labels.get(row["role"], row["role"]))
    return {school_id: list(by_user.values()) for school_id, by_user in people.items()}


def build_report(school_ids=None, *, names_for=frozenset()) -> BriefingReport:
    """Completion for `school_ids` (None: every school); names of outstanding people for `names_for`."""
    requirements = all_requirements()
    schools = School.objects.order_by("name")
    if school_ids is not None:
        schools = schools.filter(pk__in=school_ids)
    schools = list(schools)
    flagged = _people(school_ids).alias(**requirement_flags(requirements))
    outstanding_q = outstanding_q_for(requirements)
    person_counts = _person_counts(outstanding_q)
    item_counts = _item_counts(requirements)

    overall = {r["school_id"]: r for r in flagged.values("school_id").annotate(**person_counts).order_by()}
    by_role = {
        (r["school_id"], r["role"]): r for r in flagged.values("school_id", "role").annotate(**person_counts).order_by()
    }
    items = (
        {r["school_id"]: r for r in flagged.values("school_id").annotate(**item_counts).order_by()}
        if item_counts
        else {}
    )
    totals_overall = flagged.aggregate(**person_counts)
    totals_by_role = {r["role"]: r for r in flagged.values("role").annotate(**person_counts).order_by()}
    totals_items = flagged.aggregate(**item_counts) if item_counts else {}
    growth = build_growth(flagged, requirements)
    names = _outstanding_people(flagged, requirements, [s.pk for s in schools if s.pk in names_for])

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
    """Only the totals by role across `school_ids` (for dashboards): two aggregate queries."""
    requirements = all_requirements()
    flagged = _people(school_ids).alias(**requirement_flags(requirements))
    person_counts = _person_counts(outstanding_q_for(requirements))
    overall = flagged.aggregate(**person_counts)
    by_role = {r["role"]: r for r in flagged.values("role").annotate(**person_counts).order_by()}
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
