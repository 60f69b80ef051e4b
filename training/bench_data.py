"""Generating a large trust for benchmarks: many schools, staff, policy versions, receipts and children.

Rows are written with bulk_create in batches; only the pages go through Wagtail (publishing records
the policy versions). Everything made is marked "bench" so it is easy to tell from real data.
"""

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from trust.enums import Role
from trust.models import Membership, School

from .builders import build_module, ensure_training_index
from .models import TrainingCompletion

BATCH = 2000
BENCH_PASSWORD = "Bench-data-2026"  # noqa: S105 - documented, bench databases only


@dataclass
class BenchFigures:
    schools: int = 0
    people: int = 0
    policies: int = 0
    versions: int = 0
    receipts: int = 0
    modules: int = 0
    completions: int = 0
    children: int = 0


def _schools(count, start):
    schools = [
        School(
            name=f"Bench School {n:04d}",
            slug=f"bench-{n:04d}",
            urn=f"{900000 + n:06d}",
            local_authority="Benchshire",
        )
        for n in range(start, start + count)
    ]
    return School.objects.bulk_create(schools, batch_size=BATCH)


def _people(schools, staff_per_school, password_hash):
    User = get_user_model()
    users, grants = [], []
    for school in schools:
        for n in range(staff_per_school):
            email = f"staff{n}.{school.slug}@bench.example"
            users.append(
                User(username=email, email=email, first_name="Bench", last_name=f"Staff {n}", password=password_hash)
            )
            grants.append((email, Role.STAFF, school))
        for role, label in ((Role.GOVERNOR, "governor"), (Role.DESIGNATED_TEACHER, "dt")):
            email = f"{label}.{school.slug}@bench.example"
            users.append(
                User(username=email, email=email, first_name="Bench", last_name=label.title(), password=password_hash)
            )
            grants.append((email, role, school))
    User.objects.bulk_create(users, batch_size=BATCH)
    by_email = dict(User.objects.filter(email__endswith="@bench.example").values_list("email", "pk"))
    memberships = [Membership(user_id=by_email[e], role=r, school=s, started_on=date(2024, 9, 1)) for e, r, s in grants]
    memberships += [
        Membership(user_id=by_email[e], role=Role.STAFF, school=s, started_on=date(2024, 9, 1))
        for e, r, s in grants
        if r == Role.DESIGNATED_TEACHER
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    return by_email


def _policies(count, versions, head=None):
    from policy.models import PolicyIndexPage, PolicyPage
    from policy.versions import current_version

    index = PolicyIndexPage.objects.get()
    made = []
    for n in range(count):
        page = index.add_child(
            instance=PolicyPage(
                title=f"Bench policy {n + 1}",
                slug=f"bench-policy-{n + 1}-{random.randint(0, 10**6)}",  # noqa: S311 - not security
                summary="A generated policy for benchmarks.",
                body=[{"type": "paragraph", "value": f"<p>Bench policy {n + 1}, version 1.</p>"}],
            )
        )
        page.save_revision(user=head).publish(user=head)
        for v in range(2, versions + 1):
            page = PolicyPage.objects.get(pk=page.pk)
            page.change_is_material = True
            page.change_summary = f"Version {v}."
            page.body = [{"type": "paragraph", "value": f"<p>Bench policy {n + 1}, version {v}.</p>"}]
            page.save_revision(user=head).publish(user=head)
        made.append((page, current_version(PolicyPage.objects.get(pk=page.pk))))
    return made


def _receipts(policies, user_ids, share):
    from policy.models import ReadReceipt

    rng = random.Random(2026)  # noqa: S311 - reproducible, not security
    now = timezone.now()
    rows = []
    for page, version in policies:
        digest = hashlib.sha256(f"{page.pk}-{version.number}".encode()).hexdigest()
        for user_id in user_ids:
            if rng.random() < share:
                rows.append(
                    ReadReceipt(
                        user_id=user_id,
                        page_id=page.pk,
                        revision_id=version.revision_id,
                        version=version,
                        version_number=version.number,
                        acknowledged_at=now - timedelta(days=rng.randint(0, 60)),
                        text_sha256=digest,
                    )
                )
    ReadReceipt.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _training(user_ids, share, modules=3):
    index = ensure_training_index()
    stamp = random.randint(0, 10**6)  # noqa: S311 - not security
    made = [
        build_module(index, f"Bench module {n + 1}", slug=f"bench-module-{n + 1}-{stamp}", roles=[Role.STAFF])
        for n in range(modules)
    ]
    rng = random.Random(7)  # noqa: S311 - reproducible, not security
    rows = [
        TrainingCompletion(
            user_id=user_id,
            page=module,
            revision_id=module.live_revision_id,
            version_number=1,
            text_sha256="0" * 64,
            roles_snapshot=[{"role": "staff"}],
        )
        for module in made
        for user_id in user_ids
        if rng.random() < share
    ]
    TrainingCompletion.objects.bulk_create(rows, batch_size=BATCH)
    return made, len(rows)


def _children(schools, per_school):
    from casework.models import Child

    rng = random.Random(11)  # noqa: S311 - reproducible, not security
    rows = [
        Child(
            school=school,
            legal_first_name="Bench",
            legal_last_name=f"Child {n}",
            date_of_birth=date(2012 + rng.randint(0, 8), rng.randint(1, 12), rng.randint(1, 28)),
            year_group=str(rng.randint(1, 11)),
            started_on=date(2025, 9, 3),
            entered_care_on=date(2025, 6, 1),
        )
        for school in schools
        for n in range(per_school)
    ]
    Child.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def generate(*, schools=50, staff_per_school=100, policies=20, versions=3, children_per_school=10, share=0.8):
    figures = BenchFigures()
    start = School.objects.filter(slug__startswith="bench-").count() + 1
    made_schools = _schools(schools, start)
    made_schools = list(School.objects.filter(slug__in=[s.slug for s in made_schools]))
    by_email = _people(made_schools, staff_per_school, make_password(BENCH_PASSWORD))
    user_ids = [
        pk for email, pk in by_email.items() if any(email.endswith(f".{s.slug}@bench.example") for s in made_schools)
    ]
    figures.schools, figures.people = len(made_schools), len(user_ids)
    if apps.is_installed("policy") and policies:
        made = _policies(policies, versions)
        figures.policies, figures.versions = len(made), len(made) * versions
        figures.receipts = _receipts(made, user_ids, share)
    modules, figures.completions = _training(user_ids, share)
    figures.modules = len(modules)
    if apps.is_installed("casework") and children_per_school:
        figures.children = _children(made_schools, children_per_school)
    from .briefing_cache import bump
    from .briefing_completions import rebuild

    rebuild()  # bulk_create sends no signals: the briefing's index of who did what is made again,
    bump()  # and any cached briefing report is now out of date
    return figures
