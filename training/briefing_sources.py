"""What a person must have done to be briefed: each required item, as something the database can test.

Two sources, kept apart so either can change alone:

- `training_requirements()`: every live, required training module (this app's own rule).
- `policy_requirements()`: the current version of every live policy and DfE guidance page that asks
  its audience to acknowledge it (the policy app's models: `PolicyVersion`, `ReadReceipt`). Who is in
  the audience is the policy app's own rule, as a condition on a membership: `policy.audience.audience_condition`.

Each `Requirement` gives two database expressions about a person (`OuterRef(user_field)`): whether
it applies to them and whether they have done it. The report aggregates over those in a fixed
number of queries.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, Subquery

from policy.audience import audience_condition
from policy.models import GuidancePage, PolicyPage, ReadReceipt
from policy.versions import material_versions_by_page
from trust.models import Membership

from .models import TrainingCompletion, TrainingModulePage


@dataclass(frozen=True)
class Requirement:
    key: str  # stable and unique, e.g. "training-12-v1", "policy-7-v3"
    kind: str  # "Training", "Policy", "DfE guidance"
    title: str
    version: str  # "Version 3"; "" for a training module with no recorded version yet (version 1)
    version_number: int  # the current version: only records of it count
    page_id: int
    roles: frozenset
    school_ids: frozenset | None  # None: every school
    url: str = ""
    since: datetime | None = None  # when it was asked of everyone: publication of the module or version
    until: datetime | None = None  # an earlier version (evidence register only): when the next one replaced it

    def applies(self, user_field="user_id", joined_by: date | None = None):
        """Whether this applies to the person; with `joined_by`, only through roles held since that day."""
        memberships = self._audience().filter(user=OuterRef(user_field))
        if joined_by is not None:
            memberships = memberships.filter(Q(started_on__isnull=True) | Q(started_on__lte=joined_by))
        return Exists(memberships)

    def _audience(self):
        """Current memberships in the audience."""
        return Membership.objects.current().filter(self._audience_condition())

    def _audience_condition(self) -> Q:
        """What puts a current membership in the audience: each app's own rule (training: its roles, in any
        school), as a condition on the membership's fields."""
        if self.kind == "Training":
            return Q(role__in=self.roles)
        return audience_condition(self.roles, self.school_ids)

    def done(self, user_field="user_id"):
        return Exists(self._records_of_doing_it(user_field))

    def done_at(self, user_field="user_id"):
        """When the person first did it (NULL if they have not): one subquery serves for done and for when."""
        records = self._records_of_doing_it(user_field)
        moment = "completed_at" if self.kind == "Training" else "acknowledged_at"
        return Subquery(records.order_by(moment).values(moment)[:1])

    def _records_of_doing_it(self, user_field):
        # Only records of the current version count.
        if self.kind == "Training":
            return TrainingCompletion.objects.filter(
                user=OuterRef(user_field), page_id=self.page_id, version_number=self.version_number
            )
        return ReadReceipt.objects.filter(
            user=OuterRef(user_field), page_id=self.page_id, version_number=self.version_number
        )


def training_requirements() -> list[Requirement]:
    from .versions import current_version_starts

    modules = list(
        TrainingModulePage.objects.live().filter(is_required=True).prefetch_related("audience").order_by("path")
    )
    starts = current_version_starts(m.pk for m in modules)
    requirements = []
    for m in modules:
        start = starts.get(m.pk)
        requirements.append(
            Requirement(
                key=f"training-{m.pk}-v{start.number if start else 1}",
                kind="Training",
                title=m.title,
                version=f"Version {start.number}" if start else "",
                version_number=start.number if start else 1,
                page_id=m.pk,
                roles=frozenset(row.role for row in m.audience.all()),
                school_ids=None,
                url=m.url or "",
                # A material change asks everyone again: due dates and escalation count from it.
                since=start.published_at if start else m.first_published_at,
            )
        )
    return requirements


def policy_requirements() -> list[Requirement]:
    """The policy app's acknowledgements."""
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
                version_number=version.number,
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
