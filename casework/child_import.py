"""Go-live: import a school's existing children in care and the date of each one's last PEP, from CSV.

All or nothing, like trust/staff_import.py: every line is checked first, each error names its line, and
nothing is saved unless every line is right. Scoped to the school of the person importing: only that
school's designated teacher may import its children. A child's last PEP date becomes
`Child.pep_before_portal_on`, so the first PEP entered here is a termly review, not an initial PEP.
Each child created leaves a case audit event (ids only).
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from trust.access import own_school_ids

from . import audit
from .enums import AuditAction, Cohort
from .models import Child, LocalAuthority

REQUIRED_COLUMNS = ("legal_first_name", "legal_last_name", "date_of_birth", "year_group", "started_on")
OPTIONAL_COLUMNS = ("preferred_name", "upn", "entered_care_on", "last_pep_on", "responsible_authority", "cohort")
DATE_COLUMNS = {"date_of_birth", "started_on", "entered_care_on", "last_pep_on"}
COHORTS = {label.lower(): value for value, label in Cohort.choices} | {value: value for value in Cohort.values}


class NotTheirSchool(Exception):
    """The person importing is not a designated teacher of the school: nothing is read or saved."""


@dataclass
class ChildImport:
    errors: list[str] = field(default_factory=list)
    created: list[Child] = field(default_factory=list)

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
    try:
        child.full_clean(exclude=["school"])
    except ValidationError as exc:
        raise ValidationError(
            [f"{name.replace('_', ' ')}: {' '.join(messages)}" for name, messages in exc.message_dict.items()]
        ) from None
    if child.pep_before_portal_on and child.entered_care_on and child.pep_before_portal_on < child.entered_care_on:
        raise ValidationError(["last pep on: the last PEP is before the child entered care: check the dates"])
    return child


def parse(school, text: str) -> tuple[list[Child], list[str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        return [], [f"Line 1: the file needs the columns {', '.join(REQUIRED_COLUMNS)}; missing {', '.join(missing)}."]
    reader.fieldnames = headers
    authorities = {a.name.lower(): a for a in LocalAuthority.objects.all()}
    existing_upns = set(Child.objects.filter(school=school).exclude(upn="").values_list("upn", flat=True))
    children, errors, seen = [], [], {}
    try:
        for raw in reader:
            line = reader.line_num
            values = {k: (v or "").strip() for k, v in raw.items() if k}
            if not any(values.values()):
                continue
            try:
                child = _child(school, values, authorities)
            except ValidationError as exc:
                errors.append(f"Line {line}: " + "; ".join(exc.messages) + ".")
                continue
            if child.upn and child.upn in existing_upns:
                errors.append(f"Line {line}: a child with the UPN {child.upn} already has a record at {school.name}.")
            elif child.upn and child.upn in seen:
                errors.append(f"Line {line}: the UPN {child.upn} is already on line {seen[child.upn]}.")
            else:
                seen.setdefault(child.upn, line)
                children.append(child)
    except csv.Error as exc:
        errors.append(f"Line {reader.line_num + 1}: this line cannot be read ({exc}).")
    if not children and not errors:
        errors.append("The file has no children in it.")
    return children, errors


def import_children(user, school, text: str) -> ChildImport:
    """Create the school's children from the CSV, or nothing at all if any line is wrong."""
    if school.pk not in own_school_ids(user):
        raise NotTheirSchool(f"{user.email} is not a designated teacher at {school.name}: nothing was imported.")
    result = ChildImport()
    children, result.errors = parse(school, text)
    if result.errors:
        return result
    with transaction.atomic():
        for child in children:
            child._changed_by = user
            child.save()
            audit.record(None, AuditAction.CREATE, child, user=user, detail="go-live import")
            result.created.append(child)
    return result
