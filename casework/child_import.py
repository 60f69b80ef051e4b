"""Go-live: import a school's existing children in care and the date of each one's last PEP, from CSV.

All or nothing, like trust/staff_import.py: `plan_import` reads every line against the database and says, by
name, who will be added and who changed (what), saving nothing; each error names its line. `apply_plan`
carries out exactly that plan, after checking inside its transaction that the file and the records still give
the same one (its `digest`). A line is a child already on record when its UPN (or, without one, the legal
name and date of birth) matches one at the school; an empty optional cell leaves the record's value as it is.

Scoped to the person importing: only a school's designated teacher may import its children, and a line whose
`school` column names another school is refused. A child's last PEP date becomes `Child.pep_before_portal_on`,
so the first PEP entered here is a termly review, not an initial PEP. Each child created or changed leaves a
case audit event (ids only).
"""

import csv
import datetime
import hashlib
import io
import json
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from trust.access import own_school_ids
from trust.models import School

from . import audit
from .enums import AuditAction, Cohort
from .models import Child, LocalAuthority

REQUIRED_COLUMNS = ("legal_first_name", "legal_last_name", "date_of_birth", "year_group", "started_on")
OPTIONAL_COLUMNS = (
    "preferred_name",
    "upn",
    "entered_care_on",
    "last_pep_on",
    "responsible_authority",
    "cohort",
    "school",
)
DATE_COLUMNS = {"date_of_birth", "started_on", "entered_care_on", "last_pep_on"}
COHORTS = {label.lower(): value for value, label in Cohort.choices} | {value: value for value in Cohort.values}
# What a line may change on a child already on record: (field, column, words for the preview).
CHANGEABLE = (
    ("preferred_name", "preferred_name", "preferred name"),
    ("year_group", "year_group", "year group"),
    ("started_on", "started_on", "started at the school"),
    ("entered_care_on", "entered_care_on", "entered care"),
    ("pep_before_portal_on", "last_pep_on", "last PEP before the portal"),
    ("responsible_authority", "responsible_authority", "responsible authority"),
    ("cohort", "cohort", "group"),
)


class NotTheirSchool(Exception):
    """The person importing is not a designated teacher of the school: nothing is read or saved."""


class PlanChanged(Exception):
    """The file or the children's records changed since the preview: it must be shown again."""


@dataclass
class PlannedChild:
    line: int
    name: str
    school: str
    last_pep_on: str  # "3 Oct 2026", or "" when none is known
    changes: list[str] = field(default_factory=list)
    record_id: int | None = None  # the child on record, for a change


@dataclass
class ChildImportPlan:
    school: School
    text: str = field(default="", repr=False)
    errors: list[str] = field(default_factory=list)
    added: list[PlannedChild] = field(default_factory=list)
    changed: list[PlannedChild] = field(default_factory=list)
    unchanged: list[PlannedChild] = field(default_factory=list)
    children: list[Child] = field(default_factory=list, repr=False)  # what apply_plan saves, in line order

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def digest(self) -> str:
        content = {
            "school": self.school.pk,
            "plan": [[asdict(p) for p in group] for group in (self.added, self.changed, self.unchanged)],
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def summary(self) -> str:
        return (
            f"{len(self.added)} children added, {len(self.changed)} changed, "
            f"{len(self.unchanged)} already on record with nothing to change."
        )


@dataclass
class ChildImport:
    errors: list[str] = field(default_factory=list)
    created: list[Child] = field(default_factory=list)
    changed: list[Child] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _date(value: str, name: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{name.replace('_', ' ')} '{value}' is not a date: write it as 2026-09-03") from None


def _child(school, values: dict, authorities: dict) -> Child:
    problems = []
    dates = {}
    for name in DATE_COLUMNS:
        try:
            dates[name] = _date(values.get(name, ""), name)
        except ValidationError as exc:
            problems.append(exc.messages[0])
    cohort = COHORTS.get(values.get("cohort", "").lower() or Cohort.LOOKED_AFTER)
    if cohort is None:
        problems.append(f"'{values['cohort']}' is not a group (use looked after or previously looked after)")
    authority = None
    if values.get("responsible_authority"):
        authority = authorities.get(values["responsible_authority"].lower())
        if authority is None:
            problems.append(f"no local authority is called '{values['responsible_authority']}': add it first")
    if problems:
        raise ValidationError(problems)
    child = Child(
        school=school,
        legal_first_name=values.get("legal_first_name", ""),
        legal_last_name=values.get("legal_last_name", ""),
        preferred_name=values.get("preferred_name", ""),
        upn=values.get("upn", ""),
        year_group=values.get("year_group", "").removeprefix("Year ").strip(),
        cohort=cohort,
        responsible_authority=authority,
        date_of_birth=dates["date_of_birth"],
        started_on=dates["started_on"],
        entered_care_on=dates["entered_care_on"],
        pep_before_portal_on=dates["last_pep_on"],
    )
    return child


def _check(child: Child) -> None:
    try:
        child.full_clean(exclude=["school"])
    except ValidationError as exc:
        raise ValidationError(
            [f"{name.replace('_', ' ')}: {' '.join(messages)}" for name, messages in exc.message_dict.items()]
        ) from None
    if child.pep_before_portal_on and child.entered_care_on and child.pep_before_portal_on < child.entered_care_on:
        raise ValidationError(["last pep on: the last PEP is before the child entered care: check the dates"])


def _records(reader, errors):
    """Each line's values with its line number; a line the csv module cannot read (a cell over its size limit,
    a NUL byte) ends the file with that line's error."""
    try:
        for raw in reader:
            yield reader.line_num, raw
    except csv.Error as exc:  # raised before the reader counts the line it could not read
        errors.append(f"Line {reader.line_num + 1}: this line cannot be read ({exc}).")


def _day(value) -> str:
    return f"{value:%-d %b %Y}" if value else ""


def _shown(child: Child, name: str) -> str:
    value = getattr(child, name)
    if isinstance(value, datetime.date):
        return _day(value)
    if name == "cohort":
        return child.get_cohort_display()
    if name == "year_group":
        return child.get_year_group_display()
    return str(value) if value else "(none)"


def _school_of(values, school, schools, allowed_ids):
    """The line's school: the `school` column (slug or name) when given, else the school imported into."""
    named = values.get("school", "")
    if not named:
        return school
    found = schools.get(named.lower())
    if found is None:
        raise ValidationError([f"no school is called '{named}'"])
    if found.pk not in allowed_ids:
        raise ValidationError(
            [f"{found.name} is not one of your schools: you may import only your own schools' children"]
        )
    return found


def plan_import(school: School, text: str, *, allowed_school_ids=None) -> ChildImportPlan:
    """What importing this file would do, by name. Saves nothing. `allowed_school_ids`: the schools a line
    may name in its `school` column (default: only `school`)."""
    plan = ChildImportPlan(school=school, text=text)
    allowed_ids = set(allowed_school_ids or ()) | {school.pk}
    if "\x00" in text:  # no database stores it in a name; PostgreSQL would refuse the whole save
        line = text[: text.index("\x00")].count("\n") + 1
        plan.errors.append(f"Line {line}: this line holds a NUL character: save the file again as CSV UTF-8.")
        return plan
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        plan.errors.append(f"Line 1: this line cannot be read ({exc}).")
        return plan
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        plan.errors.append(
            f"Line 1: the file needs the columns {', '.join(REQUIRED_COLUMNS)}; missing {', '.join(missing)}."
        )
        return plan
    reader.fieldnames = headers
    authorities = {a.name.lower(): a for a in LocalAuthority.objects.all()}
    schools = {}
    for each in School.objects.all():
        schools[each.slug.lower()] = schools[each.name.lower()] = each
    on_record = list(Child.objects.filter(school_id__in=allowed_ids).select_related("school", "responsible_authority"))
    by_upn = {(c.school_id, c.upn): c for c in on_record if c.upn}
    by_name = {
        (c.school_id, c.legal_first_name.lower(), c.legal_last_name.lower(), c.date_of_birth): c for c in on_record
    }
    seen_upns, seen_children = {}, set()
    for line, raw in _records(reader, plan.errors):
        values = {k: (v or "").strip() for k, v in raw.items() if k and isinstance(v, str | None)}
        if not any(values.values()):
            continue
        try:
            line_school = _school_of(values, school, schools, allowed_ids)
            candidate = _child(line_school, values, authorities)
            existing = by_upn.get((line_school.pk, candidate.upn)) if candidate.upn else None
            existing = existing or by_name.get(
                (
                    line_school.pk,
                    candidate.legal_first_name.lower(),
                    candidate.legal_last_name.lower(),
                    candidate.date_of_birth,
                )
            )
            if existing is not None:  # an empty cell keeps what the record says
                for name, column, _words in CHANGEABLE:
                    if not values.get(column):
                        setattr(candidate, name, getattr(existing, name))
            _check(candidate)
            planned = _plan_line(line, candidate, existing)
        except ValidationError as exc:
            plan.errors.append(f"Line {line}: " + "; ".join(exc.messages) + ".")
            continue
        if candidate.upn and candidate.upn in seen_upns:
            plan.errors.append(f"Line {line}: the UPN {candidate.upn} is already on line {seen_upns[candidate.upn]}.")
            continue
        if existing is not None and existing.pk in seen_children:
            plan.errors.append(f"Line {line}: {existing.display_name} is already on an earlier line.")
            continue
        if candidate.upn:
            seen_upns[candidate.upn] = line
        if existing is None:
            plan.added.append(planned)
            plan.children.append(candidate)
        else:
            seen_children.add(existing.pk)
            (plan.changed if planned.changes else plan.unchanged).append(planned)
            if planned.changes:
                plan.children.append(existing)
    if not plan.added and not plan.changed and not plan.unchanged and not plan.errors:
        plan.errors.append("The file has no children in it.")
    if plan.errors:
        plan.added, plan.changed, plan.unchanged, plan.children = [], [], [], []
    return plan


def _plan_line(line, candidate: Child, existing: Child | None) -> PlannedChild:
    """The line as the preview shows it; for a child on record, the changes are made on `existing` (unsaved)."""
    if existing is None:
        return PlannedChild(line, candidate.display_name, candidate.school.name, _day(candidate.pep_before_portal_on))
    if candidate.upn and candidate.upn != existing.upn:
        held = "another UPN" if existing.upn else "no UPN"
        raise ValidationError(
            [
                f"{existing.display_name} (born {_day(existing.date_of_birth)}) is on record with {held}: "
                "change a UPN on the child's record, where it asks for the reason"
            ]
        )
    if (existing.legal_first_name, existing.legal_last_name, existing.date_of_birth) != (
        candidate.legal_first_name,
        candidate.legal_last_name,
        candidate.date_of_birth,
    ):
        raise ValidationError(
            [
                f"the UPN {existing.upn} is {existing.legal_first_name} {existing.legal_last_name}'s, born "
                f"{_day(existing.date_of_birth)}: correct the file, or change the legal name on the child's record, "
                "where it asks for the reason"
            ]
        )
    changes = []
    for name, _column, words in CHANGEABLE:
        if getattr(existing, name) == getattr(candidate, name):
            continue
        changes.append(f"{words} {_shown(existing, name)} → {_shown(candidate, name)}")
        setattr(existing, name, getattr(candidate, name))
    if changes:
        _check(existing)
    return PlannedChild(
        line,
        existing.display_name,
        existing.school.name,
        _day(existing.pep_before_portal_on),
        changes,
        existing.pk,
    )


def parse(school, text: str) -> tuple[list[Child], list[str]]:
    """The children a file would add or change at `school`, and its errors (tests and scripts)."""
    plan = plan_import(school, text)
    return plan.children, plan.errors


def _may_import(user, plan: ChildImportPlan) -> set[int]:
    own = own_school_ids(user)
    if plan.school.pk not in own:
        raise NotTheirSchool(f"{user.email} is not a designated teacher at {plan.school.name}: nothing was imported.")
    return own


def apply_plan(user, plan: ChildImportPlan) -> ChildImport:
    """Carry out a previewed plan, exactly: refused (PlanChanged) if the file and the records now give another."""
    own = _may_import(user, plan)
    result = ChildImport()
    if not plan.ok:
        result.errors = plan.errors
        return result
    with transaction.atomic():
        School.objects.select_for_update().filter(pk=plan.school.pk).first()  # one import of a school at a time
        now = plan_import(plan.school, plan.text, allowed_school_ids=own)
        if now.digest != plan.digest or not now.ok:
            raise PlanChanged
        for child in now.children:
            created = child.pk is None
            child._changed_by = user
            child.save()
            action = AuditAction.CREATE if created else AuditAction.CHANGE
            audit.record(None, action, child, user=user, detail="go-live import")
            (result.created if created else result.changed).append(child)
    return result


def import_children(user, school, text: str) -> ChildImport:
    """Create or update the school's children from the CSV, or nothing at all if any line is wrong."""
    if school.pk not in own_school_ids(user):
        raise NotTheirSchool(f"{user.email} is not a designated teacher at {school.name}: nothing was imported.")
    plan = plan_import(school, text, allowed_school_ids=own_school_ids(user))
    return apply_plan(user, plan)
