"""Who must read what: THE audience rule for policies and DfE guidance, written once.

Other apps (training's briefing report, search, home) import from here; the names are stable:

- `is_in_audience(user, page)` -> bool: the page is live and one of the person's current roles is in
  the page's audience, in a school the page applies to (trust-wide roles count for every school).
- `pages_for(user)` -> list of live `AcknowledgeablePage` (policies and guidance) in the person's
  audience: the same rule for many pages, in a fixed number of queries.
- `page_ids_for(user)` -> set of page ids the person may open (pages_for plus the two index pages).
- `can_read(user, page)`: in the audience, or may edit the page in the CMS (authors read drafts'
  published history). Used by the pages themselves; anything else answers 404.
- `audience_memberships(roles, school_ids)` -> the rule as a queryset of current memberships (the
  briefing report tests each person against it in the database); `audience_condition(roles, school_ids)`
  -> the same rule as a condition on a current membership's fields.
- `members_of(page)` -> queryset of active users in the page's audience (for completion reports).
- `statuses_for(user)` -> list of `Status` (one per page in `pages_for`, with the current version,
  the person's receipt of it if any, and the due date); `outstanding_for(user)` keeps those still
  to acknowledge; `status_for(user, page)` answers for one page.

Records: `policy.models.PolicyVersion` (each publication: page, revision, number, is_material) and
`policy.models.ReadReceipt` (user, page, revision, version_number, acknowledged_at, on_paper).
A person has acknowledged the current version of a page when a ReadReceipt exists with the page's
current version number (minor corrections keep the number, so receipts stand).
"""

import copy
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from trust.access import could_edit_pages, covering_q, covers, current_memberships
from trust.compiled_sql import CompiledOnce
from trust.page_privacy import openable, opener
from trust.personal_pages import kept_for_content
from trust.school_days import add_working_days, working_days_between

from .acknowledgements import with_current_version
from .models import GuidanceIndexPage, GuidancePage, PolicyIndexPage, PolicyPage, PolicyVersion, ReadReceipt
from .versions import material_versions_by_page

ACKNOWLEDGEABLE_MODELS = (PolicyPage, GuidancePage)


def _school_ids(page) -> set[int]:
    known = getattr(page, "_audience_school_ids", None)
    if known is not None:
        return known
    return {school.pk for school in page.schools.all()}


def qualifying_memberships(user, page) -> list:
    """The person's current memberships that put them in the page's audience."""
    roles = set(page.audience_roles or [])
    school_ids = None if page.applies_to_all_schools else _school_ids(page)
    return [
        m
        for m in current_memberships(user)
        if m.role in roles and covers(m, school_ids)
    ]


def is_in_audience(user, page) -> bool:
    return bool(page.live and current_memberships(user) and qualifying_memberships(user, page))


def can_read(user, page) -> bool:
    if is_in_audience(user, page):
        return True
    return could_edit_pages(user) and page.permissions_for_user(user).can_edit()


def _live_pages() -> tuple[list, dict]:
    """Every live policy and guidance page (policies first, by title) with the schools each applies to, its
    current version (`with_current_version`) and its address, and the publication that started each one's
    current version: the same for everyone, so read once per content generation
    (trust.personal_pages.kept_for_content) and never changed after.

    The body, the bulk of each row, stays unread: what a reader is shown is rendered from the live revision.
    """

    def build():
        pages = []
        for model in ACKNOWLEDGEABLE_MODELS:
            found = list(with_current_version(model.objects.live().defer("body")).order_by("title"))
            name = model._meta.model_name
            schools: dict[int, set[int]] = {}
            for page_id, school_id in model.schools.through.objects.filter(**{f"{name}__live": True}).values_list(
                f"{name}_id", "school_id"
            ):
                schools.setdefault(page_id, set()).add(school_id)
            for page in found:
                page._audience_school_ids = frozenset(schools.get(page.pk, ()))
                page.kept_url = page.url
            pages += found
        return pages, material_versions_by_page(page.pk for page in pages)

    return kept_for_content("policy.audience.live_pages", build)


def kept_live_page(page_id):
    """The live policy or guidance page with this id as kept for everyone (`_live_pages`), or None: a copy, so
    that what a request adds to it stays with that request. Only where pages are kept between requests (a shared
    cache: settings.PERSONAL_PAGE_CACHE); without, reading one page alone is cheaper than reading them all."""
    if not getattr(settings, "PERSONAL_PAGE_CACHE", False):
        return None
    by_id = kept_for_content("policy.audience.live_pages_by_id", lambda: {page.pk: page for page in _live_pages()[0]})
    page = by_id.get(page_id)
    return copy.copy(page) if page is not None else None


def page_url(page) -> str:
    """The page's address. Pages kept for everyone carry it (`_live_pages`): reversing Wagtail's route for each
    link of a dashboard cost a tenth of the dashboard."""
    return getattr(page, "kept_url", None) or page.url


def pages_for(user) -> list:
    """Live policies and guidance whose audience includes the person and that they may open (Wagtail's
    page privacy, trust/page_privacy.py), policies first, by title.

    No query of its own once the content generation's pages are read (`_live_pages`), but the person's
    groups when a group restriction is on the way to one of their pages.
    """
    if not current_memberships(user):
        return []
    may_open = opener(user)
    pages, _ = _live_pages()
    return [page for page in pages if qualifying_memberships(user, page) and may_open(page.path)]


def page_ids_for(user) -> set[int]:
    ids = {page.pk for page in pages_for(user)}
    if current_memberships(user):
        ids |= set(openable(PolicyIndexPage.objects.live(), user).values_list("pk", flat=True))
        ids |= set(openable(GuidanceIndexPage.objects.live(), user).values_list("pk", flat=True))
    return ids


def audience_memberships(roles, school_ids=None):
    """The rule as a queryset: current memberships that put a person in the audience of a page for `roles`
    in `school_ids` (None: every school). Trust-wide roles count for every school."""
    from trust.models import Membership

    return Membership.objects.current().filter(audience_condition(roles, school_ids))


def audience_condition(roles, school_ids=None) -> Q:
    """The same rule as a condition on a current membership's fields (to test many in one pass)."""
    return Q(role__in=list(roles or [])) & covering_q(school_ids)


def members_of(page):
    """Active people currently in the page's audience."""
    school_ids = None if page.applies_to_all_schools else page.schools.values("pk")
    memberships = audience_memberships(page.audience_roles, school_ids)
    return get_user_model().objects.filter(is_active=True, memberships__in=memberships).distinct()


# What a status shows of a receipt (the dashboard, the policy page, the lists): not its answers, snapshot or seal.
STATUS_RECEIPT_FIELDS = ("id", "user_id", "page_id", "revision_id", "version_number", "acknowledged_at", "on_paper")


@dataclass
class Status:
    page: object
    version: PolicyVersion | None  # the publication that started the current version number
    receipt: ReadReceipt | None  # the person's receipt of the current version
    last_receipt: ReadReceipt | None  # their latest receipt of any version
    due_on: date | None

    @property
    def version_number(self):
        return self.version.number if self.version else None

    @property
    def url(self) -> str:
        return page_url(self.page)

    @property
    def acknowledged_on(self) -> str:
        """"7 December 2026": the day of the person's receipt of the current version, in the trust's time zone."""
        if self.receipt is None:
            return ""
        day = timezone.localtime(self.receipt.acknowledged_at)
        return f"{day.day} {day:%B %Y}"

    @property
    def required(self) -> bool:
        return bool(self.page.acknowledgement_required and self.version)

    @property
    def outstanding(self) -> bool:
        return self.required and self.receipt is None

    @property
    def overdue(self) -> bool:
        return self.outstanding and self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def due_phrase(self) -> str:
        """"due in 7 working days (Wednesday 9 December 2026)": the count a person can act on, and the date."""
        return due_phrase(self.due_on, timezone.localdate()) if self.due_on else ""


def _joined_on(user, page) -> date | None:
    dates = [m.started_on for m in qualifying_memberships(user, page) if m.started_on]
    return min(dates) if dates else None


def due_date(user, page, version: PolicyVersion) -> date:
    return acknowledgement_due(page, timezone.localdate(version.published_at), _joined_on(user, page))


def acknowledgement_due(page, published: date, joined: date | None) -> date:
    """Working days from the version's publication, or from joining when that came later."""
    if joined and joined > published:
        return add_working_days(joined, page.new_starter_working_days)
    return add_working_days(published, page.acknowledge_within_working_days)


def due_phrase(due_on: date, today: date) -> str:
    """"due in 7 working days (Wednesday 9 December 2026)", "due today (…)", "overdue by 2 working days (…)"."""
    when = f"{due_on:%A} {due_on.day} {due_on:%B %Y}"
    if due_on == today:
        return f"due today ({when})"
    days = working_days_between(today, due_on)
    if due_on > today:
        if days == 0:  # due on a weekend or bank holiday before the next working day
            return f"due {when}"
        return f"due in {days} working day{'s' if days != 1 else ''} ({when})"
    late = -days
    if late == 0:
        return f"overdue (was due {when})"
    return f"overdue by {late} working day{'s' if late != 1 else ''} (was due {when})"


def _statuses(user, pages, versions=None) -> list[Status]:
    if not pages:
        return []
    if versions is None:
        versions = material_versions_by_page(p.pk for p in pages)
    receipts: dict[int, list[ReadReceipt]] = {}
    wanted = {page.pk for page in pages}
    if len(pages) == 1:
        mine = _RECEIPTS_OF_PAGE.instances(person_id=user.pk, page_id=pages[0].pk)
    else:
        mine = _RECEIPTS_OF.instances(person_id=user.pk)
    for receipt in mine:
        if receipt.page_id in wanted:
            receipts.setdefault(receipt.page_id, []).append(receipt)
    statuses = []
    for page in pages:
        version = versions.get(page.pk)
        mine = receipts.get(page.pk, [])
        current = next((r for r in mine if version and r.version_number == version.number), None)
        due = due_date(user, page, version) if version and page.acknowledgement_required and not current else None
        statuses.append(Status(page, version, current, mine[0] if mine else None, due))
    return statuses


def _receipts_of(person_id, page_id=None):
    """The person's receipts (all: a few dozen at most; or of one page), latest version first, read in SQL
    compiled once (trust/compiled_sql.py) on each first view of the dashboard and of each page."""
    receipts = ReadReceipt.objects.filter(user_id=person_id)
    if page_id is not None:
        receipts = receipts.filter(page_id=page_id)
    return receipts.only(*STATUS_RECEIPT_FIELDS).order_by("-version_number", "-acknowledged_at")


# Stand-ins no real call has.
_RECEIPTS_OF = CompiledOnce(_receipts_of, person_id=-1_000_001)
_RECEIPTS_OF_PAGE = CompiledOnce(_receipts_of, person_id=-1_000_001, page_id=-1_000_002)


def statuses_for(user) -> list[Status]:
    pages = pages_for(user)
    return _statuses(user, pages, _live_pages()[1] if pages else None)


def status_for(user, page) -> Status:
    versions = None
    if getattr(settings, "PERSONAL_PAGE_CACHE", False):  # the live pages' versions are kept for everyone
        kept = _live_pages()[1]
        versions = kept if page.pk in kept else None
    return _statuses(user, [page], versions)[0]


def outstanding_for(user) -> list[Status]:
    """What the person must still acknowledge, soonest due first."""
    pending = [s for s in statuses_for(user) if s.outstanding]
    return sorted(pending, key=lambda s: (s.due_on or date.max, s.page.title))
