"""Import a school's staff list from CSV: previewed by name first, then all or nothing; leavers deactivated.

`plan_import` reads the file against the database and says who will be added, changed (what) and
deactivated, saving nothing. `apply_plan` carries out exactly that plan, after checking inside its
transaction that the file and the school's staff still give the same one (its `digest`).
"""

import csv
import hashlib
import io
import json
from dataclasses import asdict, dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from .enums import TRUST_WIDE_ROLES, Role
from .models import Membership, School

REQUIRED_COLUMNS = ("email", "first_name", "last_name")
# Roles the staff list of one school can give; trust-wide roles are granted in the admin only.
IMPORTABLE_ROLES = {r.value: r for r in Role if r not in TRUST_WIDE_ROLES}
ROLE_WORDS = {label.lower(): value for value, label in Role.choices} | {v: v for v in IMPORTABLE_ROLES}


@dataclass
class StaffRow:
    line: int
    email: str
    first_name: str
    last_name: str
    roles: list[str]
    job_title: str


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    ended_roles: int = 0
    new_users: list = field(default_factory=list, repr=False)

    @property
    def ok(self):
        return not self.errors

    def summary(self) -> str:
        return (
            f"{self.created} people added, {self.updated} updated, "
            f"{self.ended_roles} roles ended, {self.deactivated} accounts deactivated."
        )


def _records(reader, errors):
    """Each line's values with its line number; a line the csv module cannot read (a cell over its size
    limit, say) ends the file with that line's error, as a person can mend and upload again."""
    try:
        for raw in reader:
            yield reader.line_num, raw
    except csv.Error as exc:  # raised before the reader counts the line it could not read
        errors.append(f"Line {reader.line_num + 1}: this line cannot be read ({exc}). Nothing was imported.")


def parse(text: str) -> tuple[list[StaffRow], list[str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        return [], [f"Line 1: the file needs the columns {', '.join(REQUIRED_COLUMNS)}; missing {', '.join(missing)}."]
    reader.fieldnames = headers
    rows, errors, seen = [], [], {}
    for line, raw in _records(reader, errors):
        values = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(values.values()):
            continue
        email = values.get("email", "").lower()
        problems = []
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"'{email or '(empty)'}' is not a valid email address")
        if not values.get("first_name"):
            problems.append("the first name is empty")
        if not values.get("last_name"):
            problems.append("the last name is empty")
        roles = []
        for word in (values.get("roles") or values.get("role") or "staff").replace(",", ";").split(";"):
            word = word.strip().lower()
            if not word:
                continue
            if word not in ROLE_WORDS or ROLE_WORDS[word] not in IMPORTABLE_ROLES:
                problems.append(
                    f"'{word}' is not a role that can be imported (use staff, governor or designated teacher)"
                )
            else:
                roles.append(ROLE_WORDS[word])
        if email and email in seen:
            problems.append(f"{email} is already on line {seen[email]}")
        seen.setdefault(email, line)
        if problems:
            errors.append(f"Line {line}: " + "; ".join(problems) + ".")
            continue
        rows.append(
            StaffRow(
                line, email, values["first_name"], values["last_name"], sorted(set(roles)), values.get("job_title", "")
            )
        )
    if not rows and not errors:
        errors.append("The file has no people in it.")
    return rows, errors


@dataclass
class PlannedPerson:
    email: str
    name: str
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    school: School
    text: str = field(default="", repr=False)
    errors: list[str] = field(default_factory=list)
    rows: list[StaffRow] = field(default_factory=list, repr=False)
    added: list[PlannedPerson] = field(default_factory=list)
    changed: list[PlannedPerson] = field(default_factory=list)
    deactivated: list[PlannedPerson] = field(default_factory=list)
    leaving_but_active: list[PlannedPerson] = field(default_factory=list)  # still work at another school
    current_staff: int = 0

    @property
    def ok(self):
        return not self.errors

    @property
    def needs_deactivation_tick(self) -> bool:
        """More than a tenth of the school's current people would lose their account."""
        return len(self.deactivated) * 10 > self.current_staff

    @property
    def digest(self) -> str:
        content = {
            "school": self.school.pk,
            "rows": [asdict(r) for r in self.rows],
            "plan": [[asdict(p) for p in group] for group in self.groups()],
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def groups(self):
        return (self.added, self.changed, self.deactivated, self.leaving_but_active)

    def summary(self) -> str:
        return (
            f"{len(self.added)} people added, {len(self.changed)} changed, "
            f"{len(self.deactivated)} accounts deactivated, {len(self.leaving_but_active)} left this school "
            "but stay active at another."
        )

    def lines(self) -> list[str]:
        """The preview as text (the command prints it; the admin shows the same by name)."""
        out = [f"{self.school.name}: {self.summary()}"]
        for title, group in (
            ("Added", self.added),
            ("Changed", self.changed),
            ("Deactivated", self.deactivated),
            ("Leaving this school, still active elsewhere", self.leaving_but_active),
        ):
            for person in group:
                detail = f" ({'; '.join(person.changes)})" if person.changes else ""
                out.append(f"  {title}: {person.name} <{person.email}>{detail}")
        return out


def _name(first, last):
    return f"{first} {last}".strip()


def _role_label(role):
    return Role(role).label.lower()


def plan_import(school: School, text: str) -> ImportPlan:
    """What importing this file would do, by name. Saves nothing."""
    plan = ImportPlan(school=school, text=text)
    plan.rows, plan.errors = parse(text)
    if not plan.errors:
        _plan_rows(plan)
    return plan


def _plan_rows(plan: ImportPlan) -> None:
    school = plan.school
    User = get_user_model()
    school_memberships = list(
        Membership.objects.current().filter(school=school, role__in=IMPORTABLE_ROLES).select_related("user")
    )
    by_user = {}
    for m in school_memberships:
        by_user.setdefault(m.user_id, []).append(m)
    plan.current_staff = len(by_user)
    existing = {u.email.lower(): u for u in User.objects.filter(email__in=[r.email for r in plan.rows])}
    listed_ids = set()
    for row in plan.rows:
        user = existing.get(row.email)
        if user is None:
            roles = ", ".join(_role_label(r) for r in row.roles)
            plan.added.append(PlannedPerson(row.email, _name(row.first_name, row.last_name), [roles]))
            continue
        listed_ids.add(user.pk)
        changes = []
        if (user.first_name, user.last_name) != (row.first_name, row.last_name):
            changes.append(f"name {_name(user.first_name, user.last_name)} → {_name(row.first_name, row.last_name)}")
        if not user.is_active:
            changes.append("account reactivated")
        current = {m.role: m for m in by_user.get(user.pk, [])}
        for role in row.roles:
            if role not in current:
                changes.append(f"becomes {_role_label(role)}")
            elif current[role].job_title != row.job_title:
                changes.append(f"job title {current[role].job_title or '(none)'} → {row.job_title or '(none)'}")
        for role in sorted(set(current) - set(row.roles)):
            changes.append(f"no longer {_role_label(role)}")
        if changes:
            plan.changed.append(PlannedPerson(row.email, _name(row.first_name, row.last_name), changes))
    leaver_ids = [uid for uid in by_user if uid not in listed_ids]
    elsewhere = set(
        Membership.objects.current()
        .filter(user_id__in=leaver_ids)
        .exclude(school=school, role__in=IMPORTABLE_ROLES)
        .values_list("user_id", flat=True)
    )
    for uid in leaver_ids:
        user = by_user[uid][0].user
        person = PlannedPerson(user.email, _name(user.first_name, user.last_name))
        (plan.leaving_but_active if uid in elsewhere else plan.deactivated).append(person)
    for group in plan.groups():
        group.sort(key=lambda p: (p.name.lower(), p.email))


class PlanChanged(Exception):
    """The file or the school's staff changed since the preview: it must be shown again."""


def apply_plan(plan: ImportPlan) -> ImportResult:
    """Carry out a previewed plan, exactly: refused (PlanChanged) if it would now do anything else."""
    result = ImportResult()
    if not plan.ok:
        result.errors = plan.errors
        return result
    school, rows = plan.school, plan.rows
    User = get_user_model()
    today = timezone.localdate()
    with transaction.atomic():
        School.objects.select_for_update().filter(pk=school.pk).first()  # one import of a school at a time
        now = ImportPlan(school=school, rows=rows)
        _plan_rows(now)
        if now.digest != plan.digest:
            raise PlanChanged
        listed_ids = set()
        existing = {u.email.lower(): u for u in User.objects.filter(email__in=[r.email for r in rows])}
        for row in rows:
            user = existing.get(row.email)
            if user is None:
                user = User(username=row.email, email=row.email)
                user.set_unusable_password()  # new starters set one from their invitation (or use SSO)
                result.created += 1
                result.new_users.append(user)
            else:
                result.updated += 1
            user.first_name, user.last_name, user.is_active = row.first_name, row.last_name, True
            user.save()
            listed_ids.add(user.pk)
            current = {m.role: m for m in Membership.objects.current().filter(user=user, school=school)}
            for role in row.roles:
                membership = current.get(role)
                if membership is None:
                    Membership.objects.create(
                        user=user, school=school, role=role, job_title=row.job_title, started_on=today
                    )
                elif membership.job_title != row.job_title:
                    membership.job_title = row.job_title
                    membership.save(update_fields=["job_title"])
            for role, membership in current.items():
                if role not in row.roles:
                    membership.ended_on = today
                    membership.save(update_fields=["ended_on"])
                    result.ended_roles += 1
        leavers = (
            Membership.objects.current()
            .filter(school=school, role__in=IMPORTABLE_ROLES)
            .exclude(user_id__in=listed_ids)
        )
        leaver_users = set()
        for membership in leavers.select_related("user"):
            # One save each (not a bulk update), so that everything listening to memberships hears it:
            # role groups here, the briefing report's cache in training.
            membership.ended_on = today
            membership.save(update_fields=["ended_on"])
            leaver_users.add(membership.user)
            result.ended_roles += 1
        for user in leaver_users:
            if not Membership.objects.current().filter(user=user).exists():
                user.is_active = False
                user.save(update_fields=["is_active"])
                result.deactivated += 1
    return result


def import_staff(school: School, text: str) -> ImportResult:
    """Plan and apply at once (tests and scripts that need no preview)."""
    plan = plan_import(school, text)
    return apply_plan(plan)
