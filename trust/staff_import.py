"""Import a school's staff list from CSV: all or nothing, re-runnable, leavers deactivated."""

import csv
import io
from dataclasses import dataclass, field

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


def import_staff(school: School, text: str) -> ImportResult:
    """Apply a school's staff list. Nothing is changed if any row is wrong."""
    result = ImportResult()
    rows, result.errors = parse(text)
    if result.errors:
        return result
    User = get_user_model()
    today = timezone.localdate()
    with transaction.atomic():
        listed_ids = set()
        existing = {u.email.lower(): u for u in User.objects.filter(email__in=[r.email for r in rows])}
        for row in rows:
            user = existing.get(row.email)
            if user is None:
                user = User(username=row.email, email=row.email)
                user.set_unusable_password()  # they set one through "forgotten password"
                result.created += 1
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
