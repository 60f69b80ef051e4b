"""Links in a policy body to pages the reader may not open are shown as plain text with a note.

The body's HTML is rendered once for everyone and cached (`rendering.revision_body_html`); this runs on each
person's copy (their page is cached per person, `trust/personal_pages.py`), so one reader's view never leaks
into another's. A staff member sees "The designated teacher guidance (for designated teachers)", never a
link that answers 404.
"""

import re
from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Page, Site

from trust.enums import Role
from trust.personal_pages import kept_for_content

_LINK = re.compile(r'<a\s+href="(?P<href>/[^"]*)"[^>]*>(?P<text>.*?)</a>', re.DOTALL)

WHO = {
    Role.STAFF: "staff",
    Role.GOVERNOR: "governors",
    Role.DESIGNATED_TEACHER: "designated teachers",
    Role.EXECUTIVE_HEAD: "the executive head",
    Role.TRUST_ADMIN: "trust administrators",
    Role.DATA_PROTECTION_OFFICER: "the data protection officer",
}


def audience_note(page) -> str:
    roles = [WHO.get(role, role) for role in getattr(page, "audience_roles", None) or [] if role in WHO]
    if not roles:
        return "not open to you"
    return "for " + (", ".join(roles[:-1]) + " and " + roles[-1] if len(roles) > 1 else roles[0])


def _pages_by_path(request, paths) -> dict:
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return {}
    root = site.root_page.url_path
    wanted = {root + path.lstrip("/"): path for path in paths}
    if not getattr(settings, "PERSONAL_PAGE_CACHE", False):  # nothing kept between requests: ask for these alone
        found = Page.objects.filter(url_path__in=wanted).specific()
        return {wanted[page.url_path]: page for page in found}
    pages = _acknowledgeable_pages_by_url_path()
    return {path: pages[url_path] for url_path, path in wanted.items() if url_path in pages}


def _acknowledgeable_pages_by_url_path() -> dict:
    """Every policy and guidance page (live or not, aliases too: a link may name any of them) by URL path, with
    the schools it applies to and its workflow state: what `can_read` and `audience_note` ask of a linked page.

    The same for everyone, so read once per content generation (trust.personal_pages.kept_for_content), not
    twice for each reader of a page with links: only those pages can be closed to a reader, so other pages at
    a link's address need not be read. A kept page is never changed afterwards.
    """

    def build():
        from .audience import ACKNOWLEDGEABLE_MODELS

        pages = {}
        for model in ACKNOWLEDGEABLE_MODELS:
            name = model._meta.model_name
            schools: dict[int, set[int]] = {}
            for page_id, school_id in model.schools.through.objects.values_list(f"{name}_id", "school_id"):
                schools.setdefault(page_id, set()).add(school_id)
            for page in model.objects.defer("body", "comprehension_check").prefetch_workflow_states():
                page._audience_school_ids = frozenset(schools.get(page.pk, ()))
                pages[page.url_path] = page
        return pages

    return kept_for_content("policy.reader_links.acknowledgeable_pages", build)


def links_for_reader(html: str, request) -> str:
    """`html` with each link to a policy or guidance page the person may not read replaced by its text and
    a note saying who it is for. Other links are left as they are."""
    from .audience import can_read
    from .models import AcknowledgeablePage

    matches = list(_LINK.finditer(html))
    if not matches:
        return html
    paths = {urlsplit(unescape(m.group("href"))).path for m in matches}
    pages = _pages_by_path(request, paths)
    closed = {
        path
        for path, page in pages.items()
        if isinstance(page, AcknowledgeablePage) and not can_read(request.user, page)
    }
    if not closed:
        return html

    def replace(match):
        path = urlsplit(unescape(match.group("href"))).path
        if path not in closed:
            return match.group(0)
        page = pages[path]
        return (
            f'<span class="closed-link">{match.group("text")} '
            f'<span class="hint">({audience_note(page)})</span></span>'
        )

    return _LINK.sub(replace, html)
