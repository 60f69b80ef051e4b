"""What a person must have done to be briefed: each required item, as something the database can test.

Two sources, kept apart so either can change alone:

- `training_requirements()`: every live, required training module (this app's own rule).
- `policy_requirements()`: the current version of every live policy and DfE guidance page that asks
  its audience to acknowledge it (the policy app's models: `PolicyVersion`, `ReadReceipt`). The
  audience test mirrors `policy.audience.qualifying_memberships` in database form: a role in the
  page's `audience_roles`, in a school the page applies to (trust-wide roles count for every school).

Each `Requirement` gives two database expressions about a person (`OuterRef(user_field)`): whether
it applies to them and whether they have done it. The report aggregates over those in a fixed
number of queries.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from trust.enums import TRUST_WIDE_ROLES
from trust.models import Membership

from .models import TrainingCompletion, TrainingModulePage


@dataclass(frozen=True)
class Requirement:
    key: str  # stable and unique, e.g. "training-12", "policy-7-v3"
    kind: str  # "Training", "Policy", "DfE guidance"
    title: str
    version: str  # "Version 3" for policies; "" for training
    page_id: int
    roles: frozenset
    school_ids: frozenset | None  # None: every school
    url: str = ""
    since: datetime | None = None  # when it was asked of everyone: publication of the module or version

    def applies(self, user_field="user_id", joined_by: date | None = None):
        """Whether this applies to the person; with `joined_by`, only through roles held since that day."""
        memberships = Membership.objects.current().filter(user=OuterRef(user_field), role__in=self.roles)
        if joined_by is not None:
            memberships = memberships.filter(Q(started_on__isnull=True) | Q(started_on__lte=joined_by))
        if self.school_ids is not None:
            memberships = memberships.filter(Q(school_id__in=self.school_ids) | Q(role__in=TRUST_WIDE_ROLES))
        return Exists(memberships)

    def done(self, user_field="user_id"):
        if self.kind == "Training":
            return Exists(TrainingCompletion.objects.filter(user=OuterRef(user_field), page_id=self.page_id))
        from policy.models import ReadReceipt

        number = int(self.version.rsplit(" ", 1)[-1])
        return Exists(
            ReadReceipt.objects.filter(user=OuterRef(user_field), page_id=self.page_id, version_number=number)
        )


def training_requirements() -> list[Requirement]:
    modules = TrainingModulePage.objects.live().filter(is_required=True).prefetch_related("audience").order_by("path")
    return [
        Requirement(
            key=f"training-{m.pk}",
            kind="Training",
            title=m.title,
            version="",
            page_id=m.pk,
            roles=frozenset(row.role for row in m.audience.all()),
            school_ids=None,
            url=m.url or "",
            since=m.first_published_at,
        )
        for m in modules
    ]


def policy_requirements() -> list[Requirement]:
    """The policy app's acknowledgements; empty until the policy app provides its models."""
    if not apps.is_installed("policy"):
        return []
    try:
        from policy.models import GuidancePage, PolicyPage
        from policy.versions import material_versions_by_page
    except ImportError:
        return []
    pages = []
    for model in (PolicyPage, GuidancePage):
        pages += list(
            model.objects.live().filter(acknowledgement_required=True).prefetch_related("schools").order_by("title")
        )
    versions = material_versions_by_page(p.pk for p in pages)
    requirements = []
    for page in pages:
        version = versions.get(page.pk)
        if version is None or not page.audience_roles:
            continue
        requirements.append(
            Requirement(
                key=f"policy-{page.pk}-v{version.number}",
                kind="Policy" if isinstance(page, PolicyPage) else "DfE guidance",
                title=page.title,
                version=f"Version {version.number}",
                page_id=page.pk,
                roles=frozenset(page.audience_roles),
                school_ids=None if page.applies_to_all_schools else frozenset(s.pk for s in page.schools.all()),
                url=page.url or "",
                since=version.published_at,
            )
        )
    return requirements


def all_requirements() -> list[Requirement]:
    return policy_requirements() + training_requirements()
