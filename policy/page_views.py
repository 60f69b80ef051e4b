"""The reader's side of a policy or guidance page: the page itself, acknowledging, the version history, an
earlier version as published, and what changed since the version the person read.

Each is reached through a route of the page (policy/models/routes.py), whose `serve` has already refused (404)
anyone who may not read the page. Acknowledging also has an address of its own naming the page's id
(`acknowledge_page`, policy/urls.py), which the form posts to: the same refusals, without Wagtail's routing.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from trust.page_privacy import may_open, openable
from trust.personal_pages import allow_personal_copy

from .acknowledgements import (
    acknowledge_online,
    has_acknowledged,
    keep_version_to_acknowledge,
    record_attempt,
    version_to_acknowledge,
    with_version_to_acknowledge,
)
from .audience import (
    ACKNOWLEDGEABLE_MODELS,
    can_read,
    is_in_audience,
    kept_live_page,
    page_url,
    status_for,
    statuses_for,
)
from .enums import AttemptOutcome
from .forms import AcknowledgementForm
from .models import PolicyVersion, ReadReceipt
from .next_url import safe_next
from .reader_links import links_for_reader
from .rendering import plain_text, revision_body_html, word_diff
from .versions import current_version, versions_of


def check_reader(page, request, view) -> None:
    """Only the audience (and the page's editors) see the page: 404 for anyone else; the admin's previews always."""
    if getattr(request, "is_preview", False):
        return
    if not can_read(request.user, page):
        raise Http404
    if request.method == "GET" and getattr(view, "__name__", None) == "index_route":
        # The page itself shows only the content and the reader's own status: a copy may be kept.
        allow_personal_copy(request)


def index_context(index, user, model, context):
    """The person's pages with their status, and (for editors) live pages outside their audience."""
    statuses = [s for s in statuses_for(user) if isinstance(s.page, model)]
    shown = {s.page.pk for s in statuses}
    managed = [
        page
        for page in openable(model.objects.live().child_of(index), user).order_by("title")
        if page.pk not in shown and page.permissions_for_user(user).can_edit()
    ]
    context.update(statuses=statuses, managed=managed)
    return context


def page_context(page, request, context, form=None):
    """The reader's status, the published text, and the form when they owe an acknowledgement."""
    in_audience = is_in_audience(request.user, page)
    status = status_for(request.user, page) if in_audience else None
    published = _shown_version(page, status)
    context.update(
        in_audience=in_audience,
        status=status,
        published=published,
        body_html=body_html_for(page, request),
        next_url=safe_next(request, request.POST.get("next") or request.GET.get("next")),
    )
    if status and status.outstanding and published:
        context["form"] = form or AcknowledgementForm(
            page=page, version_number=published.number, initial={"revision": page.live_revision_id}
        )
    return context


def _shown_version(page, status):
    """The published version shown: the reader's status already holds it unless a minor correction was
    published since the version number began (one query fewer on each person's first visit)."""
    if status is not None and status.version is not None and status.version.revision_id == page.live_revision_id:
        return status.version
    return current_version(page)


def body_html_for(page, request):
    """The published text; in the admin's previews (view draft, preview in a new tab, the side panel),
    the text of the page being previewed: the revision in moderation or the unsaved edit."""
    if getattr(request, "is_preview", False):
        return str(page.body) if page.body else ""
    if not page.live_revision_id:
        return ""
    return links_for_reader(revision_body_html(page.live_revision_id), request)


@require_POST
def acknowledge_page(request, page_id):
    """The acknowledgement form's own address, /policies/acknowledge/<page id>/: the page by its id, without
    Wagtail's routing (the site, the route and the view restrictions cost six queries before the page's
    own checks). Anyone who could not open the page gets the same 404: the page must be live, a policy or
    guidance page, pass the view restrictions (trust/page_privacy.py), and `acknowledge` then asks for the
    audience and the current version as the page's own route does. A GET is 405 for everyone."""
    page = _acknowledgeable_page(request.user, page_id)
    if page is None:
        raise Http404
    return acknowledge(page, request)


def _acknowledgeable_page(user, page_id):
    """The live policy or guidance page with this id that the person may open, with the version to acknowledge
    (`keep_version_to_acknowledge`): the page and its current version as kept for everyone (`kept_live_page`),
    and whether the person has acknowledged it (one query); with nothing kept, all three in one query.

    The view restrictions are checked as the page's own view checks them before serving it (`may_open`,
    trust/wagtail_hooks.py): the same rule as `openable`, applied to the site's restrictions kept for the
    content generation (any save of a restriction renews it), so the form is refused exactly where the page
    is. Building `openable`'s subquery cost about 2.5 ms of CPU on every acknowledgement.
    """
    page = kept_live_page(page_id)
    if page is None and getattr(settings, "PERSONAL_PAGE_CACHE", False):
        return None  # not a live policy or guidance page
    if page is not None:
        page.reader_acknowledged = has_acknowledged(user, page)
    else:
        page = _read_with_version_to_acknowledge(user, page_id)
    if page is None or not may_open(user, page):
        return None
    keep_version_to_acknowledge(page, user)
    return page


def _read_with_version_to_acknowledge(user, page_id):
    for model in ACKNOWLEDGEABLE_MODELS:
        page = with_version_to_acknowledge(model.objects.live().filter(pk=page_id), user).first()
        if page is not None:
            return page
    return None


def acknowledge(page, request):
    """The reader acknowledges the current version: answers checked, every attempt recorded."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    published = version_to_acknowledge(request.user, page)
    if not (is_in_audience(request.user, page) and page.acknowledgement_required and published):
        raise Http404
    back = safe_next(request, request.POST.get("next")) or page_url(page)  # e.g. the casework page they came from
    if published.acknowledged:
        messages.info(request, f"You have already acknowledged version {published.number}.")
        return redirect(back)
    form = AcknowledgementForm(request.POST, page=page, version_number=published.number)
    if not form.is_valid():
        wrong = []
        if "revision" not in form.errors:
            answers = [a for a in form.answers() if a["answer"]]
            wrong = form.mark() if len(answers) == len(form.questions) else []
            outcome = AttemptOutcome.WRONG_ANSWERS if wrong else AttemptOutcome.INCOMPLETE
            record_attempt(
                request.user, page, published.revision_id, published.number, outcome, answers=answers, wrong=wrong
            )
        return TemplateResponse(
            request, page.get_template(request), _form_context(page, request, form, wrong=wrong)
        )
    if form.cleaned_data["revision"] != page.live_revision_id:
        record_attempt(request.user, page, published.revision_id, published.number, AttemptOutcome.STALE)
        messages.warning(
            request,
            f"This page was updated while you were reading it. Read version {published.number} below, "
            "then acknowledge it.",
        )
        return redirect(page.url)
    answers = form.answers()
    wrong = form.mark()
    if wrong:
        record_attempt(
            request.user, page, published.revision_id, published.number, AttemptOutcome.WRONG_ANSWERS,
            answers=answers, wrong=wrong,
        )
        return TemplateResponse(
            request, page.get_template(request), _form_context(page, request, form, wrong=wrong)
        )
    receipt = acknowledge_online(request.user, page, published, answers=answers)
    if receipt is None:
        messages.info(request, f"You have already acknowledged version {published.number}.")
        return redirect(back)
    messages.success(
        request, f"Thank you. You acknowledged version {receipt.version_number} of “{page.title}”."
    )
    return redirect(back)


def _form_context(page, request, form, wrong=()):
    context = page.get_context(request, form=form)
    context["wrong_questions"] = [
        {"number": n, "question": form.questions[n - 1].value["question"], "field": f"id_question_{n}"}
        for n in wrong
    ]
    return context


def versions(page, request):
    versions = versions_of(page)
    mine = list(ReadReceipt.objects.filter(user=request.user, page_id=page.pk))
    by_revision = {r.revision_id: r for r in mine}
    by_number = {r.version_number: r for r in mine}
    rows = [
        {"version": v, "receipt": by_revision.get(v.revision_id), "covered_by": by_number.get(v.number)}
        for v in reversed(versions)
    ]
    return TemplateResponse(request, "policy/versions.html", {"page": page, "rows": rows})


def version(page, request, revision_id):
    version = PolicyVersion.objects.filter(page_id=page.pk, revision_id=revision_id).first()
    if version is None:
        raise Http404  # drafts and unknown revisions are never shown here
    return TemplateResponse(
        request,
        "policy/version.html",
        {
            "page": page,
            "version": version,
            "as_published": version.revision.as_object(),
            "body_html": links_for_reader(revision_body_html(revision_id), request),
            "is_current": revision_id == page.live_revision_id,
        },
    )


def changes(page, request):
    versions = {v.revision_id: v for v in PolicyVersion.objects.filter(page_id=page.pk)}
    to_version = versions.get(_int(request.GET.get("to")) or page.live_revision_id)
    from_id = _int(request.GET.get("from"))
    if from_id is None:
        last = ReadReceipt.objects.filter(user=request.user, page_id=page.pk).order_by("-acknowledged_at").first()
        from_id = last.revision_id if last else None
    from_version = versions.get(from_id) if from_id else None
    if (from_id and from_version is None) or to_version is None:
        raise Http404
    context = {"page": page, "from_version": from_version, "to_version": to_version,
               "choices": sorted(versions.values(), key=lambda v: (v.published_at, v.pk))}
    if from_version:
        diff = word_diff(
            plain_text(revision_body_html(from_version.revision_id)),
            plain_text(revision_body_html(to_version.revision_id)),
        )
        context.update(diff=diff, show_all=request.GET.get("all") == "1",
                       title_changed=_title(from_version) != _title(to_version),
                       from_title=_title(from_version), to_title=_title(to_version))
    return TemplateResponse(request, "policy/changes.html", context)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _title(version):
    return (version.revision.content or {}).get("title", "")
