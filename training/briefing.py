"""Briefing completion: who has acknowledged every policy version and completed every training module
required of them, counted in the database in a fixed number of queries whatever the number of people.

A person is briefed when no requirement that applies to them is left undone (see briefing_sources).
People are counted through their current school memberships as staff or governors (the rows of the
report); requirements apply through any of their current roles.
"""

from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from django.db.models import Case, Count, F, Max, Min, Q, Value, When

from trust.enums import Role
from trust.models import Membership, School

from .briefing_done import BITS, slots_for
from .briefing_growth import growth_for
from .briefing_sources import Requirement, all_requirements
from .briefing_table import flag_table
from .models import BriefingDoneMask

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


@dataclass(frozen=True)
class Bit:
    """Where requirement i is in a person's masks: bit `mask` of app_<group> and done_<group>."""

    group: int
    mask: int

    @property
    def applies(self) -> str:
        """Not 0 when the requirement applies to the person (an integer: counted without a CASE)."""
        return f"(app_{self.group} & {self.mask})"

    @property
    def done(self) -> str:
        """Not 0 when it applies to them and they have done it."""
        return f"(app_{self.group} & done_{self.group} & {self.mask})"

    def applies_in(self, row) -> bool:
        return bool(row[f"app_{self.group}"] & self.mask)

    def done_in(self, row) -> bool:
        return bool(row[f"app_{self.group}"] & row[f"done_{self.group}"] & self.mask)

    def outstanding_in(self, row) -> bool:
        return self.applies_in(row) and not self.done_in(row)


def bits_for(requirements) -> list[Bit]:
    """Each requirement's bit: its page's slot in the people's done masks (renewed first if need be)."""
    return [Bit(slot // BITS, 1 << (slot % BITS)) for slot in slots_for(requirements)]


def _groups(bits) -> list[int]:
    return sorted({bit.group for bit in bits})


def _outstanding_bits(bits) -> str | None:
    """Not 0 when something that applies to the person is not done."""
    terms = [f"(app_{j} & ~done_{j})" for j in _groups(bits)]
    return " | ".join(terms) if terms else None


def _outstanding_sql(bits) -> str | None:
    outstanding = _outstanding_bits(bits)
    return None if outstanding is None else f"({outstanding}) <> 0"


def _person_counts(bits) -> dict:
    return {"total": None, "outstanding": _outstanding_bits(bits) or "0"}


def _item_counts(requirements, bits) -> tuple[dict, dict]:
    """The counts of each item, and the counts that are copies of another: requirements with the same
    audience apply to the same people, so t_<i> is counted once an audience (most policies share one)."""
    counts, copies, first_of = {}, {}, {}
    for i, (requirement, bit) in enumerate(zip(requirements, bits, strict=True)):
        first = first_of.setdefault(_audience_key(requirement), i)
        if first == i:
            counts[f"t_{i}"] = bit.applies
        else:
            copies[f"t_{i}"] = f"t_{first}"
        counts[f"d_{i}"] = bit.done
    return counts, copies


class Counted:
    """Each figure's counts (`total`, `outstanding`, and t_<i>, d_<i> where items are counted), summed as
    lists in the order of `names` (one list a figure: the sums of many groups stay cheap) and read as dicts."""

    def __init__(self, names, copies=None):
        self.names = list(names)
        self.copies = copies or {}  # name: the name whose count it has
        self._sums = {}  # (kind, key): [count, ...]

    def add(self, values: list, schools, school_roles, roles) -> None:
        """One person's or group's counts into the figures they are in (each key once)."""
        keys = [("school", s) for s in schools] + [("school_role", k) for k in school_roles]
        for key in [*keys, *[("role", r) for r in roles], ("totals", None)]:
            sums = self._sums.get(key)
            self._sums[key] = list(values) if sums is None else [a + b for a, b in zip(sums, values, strict=True)]

    def figures(self, kind: str) -> dict:
        """The counts of one kind of figure: by school id ("school"), by (school id, role) ("school_role"),
        by role ("role"), or across the schools ("totals", under the key None)."""
        figures = {key: dict(zip(self.names, sums, strict=True)) for (k, key), sums in self._sums.items() if k == kind}
        for counts in figures.values():
            counts.update({name: counts[same] for name, same in self.copies.items()})
        return figures


ONE_MEMBERSHIP = "p_rows = 1"


def _count(table, bits, counts, memberships, copies=None) -> Counted:
    """Every figure from one pass over the table (`memberships`: `_memberships_sql`).

    Most people hold one counted membership, in one school and role, so every figure is a sum of the counts
    of the (school, role) groups of those people, counted by the database. The few holding several (staff
    and governor, or in two schools) count once in each figure: their memberships are read and added here.
    """
    counted = Counted(counts, copies)
    for group in table.count(["p_school", "p_role"], counts, where=ONE_MEMBERSHIP):
        school, role = group.pop("p_school"), group.pop("p_role")
        counted.add([group[name] for name in counted.names], [school], [(school, role)], [role])
    rows = table.select_memberships(
        memberships,
        ["m.p_school", "m.p_role", "m.p_user", *[f"t.{column}" for column in table.person_columns]],
        where=f"NOT ({ONE_MEMBERSHIP})",
        params=[],
        order_by=["m.p_user", "m.p_school", "m.p_role"],
    )
    for _user, memberships in groupby(rows, key=itemgetter("p_user")):
        memberships = list(memberships)
        counted.add(
            _person(memberships[0], bits, counts),
            dict.fromkeys(m["p_school"] for m in memberships),
            dict.fromkeys((m["p_school"], m["p_role"]) for m in memberships),
            dict.fromkeys(m["p_role"] for m in memberships),
        )
    return counted


def _person(row, bits, counts) -> list:
    """One person's counts (1 or 0 each), as `counts` would count their row."""
    person = {"total": 1, "outstanding": int(any(bit.outstanding_in(row) for bit in bits))}
    for i, bit in enumerate(bits):
        person[f"t_{i}"] = int(bit.applies_in(row))
        person[f"d_{i}"] = int(bit.done_in(row))
    return [person[name] for name in counts]


def _figure(label, row) -> Figure:
    total = row.get("total", 0) if row else 0
    return Figure(label, total, total - (row.get("outstanding", 0) if row else 0))


def _items(requirements, row) -> list[ItemFigure]:
    return [
        ItemFigure(r, Figure(r.title, row.get(f"t_{i}", 0) if row else 0, row.get(f"d_{i}", 0) if row else 0))
        for i, r in enumerate(requirements)
    ]


def _outstanding_people(table, requirements, bits, school_ids) -> dict[int, list[OutstandingPerson]]:
    outstanding = _outstanding_sql(bits)
    if outstanding is None or not school_ids:
        return {}
    rows = table.select_memberships(
        _memberships_sql(school_ids, names=True),
        ["m.*", *[f"t.{column}" for column in table.person_columns]],
        where=f"({outstanding})",
        params=[],
        order_by=["m.p_school", "m.p_last_name", "m.p_first_name", "m.p_user"],
    )
    labels = dict(ROLE_ROWS)
    people: dict[int, dict[int, OutstandingPerson]] = {}
    for row in rows:
        by_user = people.setdefault(row["p_school"], {})
        person = by_user.get(row["p_user"])
        if person is None:
            items = [
                f"{r.title}{f' ({r.version})' if r.version else ''}"
                for r, bit in zip(requirements, bits, strict=True)
                if bit.outstanding_in(row)
            ]
            name = f"{row['p_first_name']} {row['p_last_name']}".strip() or row["p_email"]
            person = by_user[row["p_user"]] = OutstandingPerson(name, row["p_email"], [], items)
        person.roles.append(labels.get(row["p_role"], row["p_role"]))
    return {school_id: list(by_user.values()) for school_id, by_user in people.items()}


def _audience_key(requirement) -> tuple:
    """Requirements with the same key apply to the same people."""
    return (requirement.kind == "Training", requirement.roles, requirement.school_ids)


def _audiences(requirements, bits) -> list[tuple]:
    """Each distinct audience (most policies share one): the condition a current membership meets to be in
    it, and for each group of bits, the mask of the requirements it is the audience of."""
    audiences: dict[tuple, tuple] = {}
    for requirement, bit in zip(requirements, bits, strict=True):
        _condition, masks = audiences.setdefault(_audience_key(requirement), (requirement._audience_condition(), {}))
        masks[bit.group] = masks.get(bit.group, 0) | bit.mask
    return list(audiences.values())


def _counted_memberships(school_ids) -> Q:
    """`_people`'s memberships, as a condition on current memberships (the person's account aside)."""
    counted = Q(role__in=COUNTED_ROLES)
    return counted if school_ids is None else counted & Q(school_id__in=school_ids)


def _memberships_sql(school_ids, *, names=False) -> tuple[str, list]:
    """The SELECT of the counted memberships (p_school, p_role, p_user; with `names`, the person's names and
    address), and its parameters."""
    columns = {"p_school": F("school_id"), "p_role": F("role"), "p_user": F("user_id")}
    if names:
        columns |= {"p_first_name": F("user__first_name"), "p_last_name": F("user__last_name"), "p_email": F("user__email")}
    sql, params = _people(school_ids).values(**columns).order_by().query.sql_with_params()
    return sql, list(params)


def _rows(school_ids, requirements, bits) -> tuple[str, list, list[str]]:
    """The SELECT of the report's people, one row each, its parameters and the columns that hold the
    person's facts: app_<j>, the requirements that apply to them (through any of their current roles), and
    done_<j>, those they have done (a receipt or completion of the current version: the person's done mask,
    training/briefing_done.py). p_rows: how many counted memberships they hold; p_school and p_role: the one, when they hold one (most people)."""
    groups = _groups(bits)
    audiences = _audiences(requirements, bits)
    counted = _counted_memberships(school_ids)
    people = (  # one pass over every current membership of an active account
        Membership.objects.current()
        .filter(user__is_active=True)
        .values("user_id")
        .annotate(
            p_rows=Count("pk", filter=counted),
            p_school=Min("school_id", filter=counted),
            p_role=Min("role", filter=counted),
            **{
                f"aud_{k}": Max(Case(When(condition, then=Value(1)), default=Value(0)))
                for k, (condition, _masks) in enumerate(audiences)
            },
        )
        .filter(p_rows__gt=0)
        .order_by()
    )
    people_sql, people_params = people.query.sql_with_params()
    person = "SELECT a.user_id AS p_user, a.p_rows, a.p_school, a.p_role"
    if not groups:
        return f"{person} FROM ({people_sql}) a", list(people_params), []  # noqa: S608 - a subquery of the ORM
    done_masks = BriefingDoneMask._meta.db_table
    joins = " ".join(
        f"LEFT JOIN {done_masks} d{j} ON d{j}.user_id = a.user_id AND d{j}.bit_group = {j}" for j in groups
    )
    apps = ", ".join(
        " + ".join(f"COALESCE(a.aud_{k}, 0) * {masks.get(j, 0)}" for k, (_m, masks) in enumerate(audiences))
        + f" AS app_{j}"
        for j in groups
    )
    dones = ", ".join(f"COALESCE(d{j}.done, 0) AS done_{j}" for j in groups)
    sql = f"{person}, {apps}, {dones} FROM ({people_sql}) a {joins}"  # noqa: S608 - names and masks from this module
    return sql, list(people_params), [f"app_{j}" for j in groups] + [f"done_{j}" for j in groups]


def build_report(school_ids=None, *, names_for=frozenset()) -> BriefingReport:
    """Completion for `school_ids` (None: every school); names of outstanding people for `names_for`."""
    requirements = all_requirements()
    schools = School.objects.order_by("name")
    if school_ids is not None:
        schools = schools.filter(pk__in=school_ids)
    schools = list(schools)
    bits = bits_for(requirements)
    person_counts = _person_counts(bits)
    item_counts, copies = _item_counts(requirements, bits)
    build_growth = growth_for(requirements, bits)

    with flag_table(*_rows(school_ids, requirements, bits)) as table:
        counted = _count(table, bits, {**person_counts, **item_counts}, _memberships_sql(school_ids), copies)
        by_school, by_role = counted.figures("school"), counted.figures("school_role")
        totals_by_role, totals = counted.figures("role"), counted.figures("totals").get(None, {})
        growth = build_growth(table, totals)
        names = _outstanding_people(table, requirements, bits, [s.pk for s in schools if s.pk in names_for])

    reports = [
        SchoolBriefing(
            school=school,
            overall=_figure("Everyone", by_school.get(school.pk)),
            by_role=[_figure(label, by_role.get((school.pk, role))) for role, label in ROLE_ROWS],
            by_item=_items(requirements, by_school.get(school.pk)),
            outstanding_people=names.get(school.pk, []) if school.pk in names_for else None,
        )
        for school in schools
    ]
    totals = SchoolBriefing(
        school=None,
        overall=_figure("Everyone", totals),
        by_role=[_figure(label, totals_by_role.get(role)) for role, label in ROLE_ROWS],
        by_item=_items(requirements, totals),
    )
    return BriefingReport(schools=reports, totals=totals, requirements=requirements, growth=growth)


def build_summary(school_ids=None) -> SchoolBriefing:
    """Only the totals by role across `school_ids` (for dashboards)."""
    requirements = all_requirements()
    bits = bits_for(requirements)
    person_counts = _person_counts(bits)
    with flag_table(*_rows(school_ids, requirements, bits)) as table:
        counted = _count(table, bits, person_counts, _memberships_sql(school_ids))
        overall, by_role = counted.figures("totals").get(None), counted.figures("role")
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
