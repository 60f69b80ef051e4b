"""The reader's side of an acknowledgeable page: the page itself, acknowledging, the version
history, an earlier version as published, and what changed since the version the person read."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.contrib.routable_page.models import path


class AcknowledgeableRoutes:
    """Mixed into `AcknowledgeablePage`; every route is reached through the page's `serve`, which has
    already refused (404) anyone who may not read the page."""

    def get_template(self, request, *args, **kwargs):
        return "policy/acknowledgeable_page.html"

    def get_context(self, request, *args, form=None, **kwargs):
        from ..audience import is_in_audience, status_for
        from ..forms import AcknowledgementForm
        from ..next_url import safe_next
        from ..versions import current_version

        context = super().get_context(request, *args, **kwargs)
        in_audience = is_in_audience(request.user, self)
        status = status_for(request.user, self) if in_audience else None
        published = current_version(self)
        context.update(
            in_audience=in_audience,
            status=status,
            published=published,
            body_html=self._body_html_for(request),
            next_url=safe_next(request, request.POST.get("next") or request.GET.get("next")),
        )
        if status and status.outstanding and published:
            context["form"] = form or AcknowledgementForm(
                page=self, version_number=published.number, initial={"revision": self.live_revision_id}
            )
        return context

    def _body_html_for(self, request):
        """The published text; in the admin's previews (view draft, preview in a new tab, the side panel),
        the text of the page being previewed: the revision in moderation or the unsaved edit."""
        from ..reader_links import links_for_reader
        from ..rendering import revision_body_html

        if getattr(request, "is_preview", False):
            return str(self.body) if self.body else ""
        if not self.live_revision_id:
            return ""
        return links_for_reader(revision_body_html(self.live_revision_id), request)

    def url_for(self, name, **kwargs):
        return self.url + self.reverse_subpage(name, kwargs=kwargs).lstrip("/")

    @path("acknowledge/", name="acknowledge")
    def acknowledge_view(self, request):
        from ..acknowledgements import AlreadyAcknowledged, create_receipt, existing_receipt, record_attempt
        from ..audience import is_in_audience
        from ..enums import AttemptOutcome
        from ..forms import AcknowledgementForm
        from ..next_url import safe_next
        from ..versions import current_version

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        published = current_version(self)
        if not (is_in_audience(request.user, self) and self.acknowledgement_required and published):
            raise Http404
        back = safe_next(request, request.POST.get("next")) or self.url  # e.g. the casework page they came from
        if existing_receipt(request.user, self, published.number):
            messages.info(request, f"You have already acknowledged version {published.number}.")
            return redirect(back)
        form = AcknowledgementForm(request.POST, page=self, version_number=published.number)
        if not form.is_valid():
            wrong = []
            if "revision" not in form.errors:
                answers = [a for a in form.answers() if a["answer"]]
                wrong = form.mark() if len(answers) == len(form.questions) else []
                outcome = AttemptOutcome.WRONG_ANSWERS if wrong else AttemptOutcome.INCOMPLETE
                record_attempt(
                    request.user, self, published.revision_id, published.number, outcome, answers=answers, wrong=wrong
                )
            return TemplateResponse(
                request, self.get_template(request), self._form_context(request, form, wrong=wrong)
            )
        if form.cleaned_data["revision"] != self.live_revision_id:
            record_attempt(request.user, self, published.revision_id, published.number, AttemptOutcome.STALE)
            messages.warning(
                request,
                f"This page was updated while you were reading it. Read version {published.number} below, "
                "then acknowledge it.",
            )
            return redirect(self.url)
        answers = form.answers()
        wrong = form.mark()
        if wrong:
            record_attempt(
                request.user, self, published.revision_id, published.number, AttemptOutcome.WRONG_ANSWERS,
                answers=answers, wrong=wrong,
            )
            return TemplateResponse(
                request, self.get_template(request), self._form_context(request, form, wrong=wrong)
            )
        with transaction.atomic():  # the receipt, its history entry and the attempt: one commit
            try:
                receipt = create_receipt(request.user, self, published, self.live_revision_id, answers=answers)
            except AlreadyAcknowledged:
                receipt = None
                record_attempt(request.user, self, published.revision_id, published.number, AttemptOutcome.ALREADY)
            else:
                record_attempt(
                    request.user, self, published.revision_id, published.number, AttemptOutcome.ACCEPTED, answers=answers
                )
        if receipt is None:
            messages.info(request, f"You have already acknowledged version {published.number}.")
            return redirect(back)
        messages.success(
            request, f"Thank you. You acknowledged version {receipt.version_number} of “{self.title}”."
        )
        return redirect(back)

    def _form_context(self, request, form, wrong=()):
        context = self.get_context(request, form=form)
        context["wrong_questions"] = [
            {"number": n, "question": form.questions[n - 1].value["question"], "field": f"id_question_{n}"}
            for n in wrong
        ]
        return context

    @path("versions/", name="versions")
    def versions_view(self, request):
        from ..models import ReadReceipt
        from ..versions import versions_of

        versions = versions_of(self)
        mine = list(ReadReceipt.objects.filter(user=request.user, page_id=self.pk))
        by_revision = {r.revision_id: r for r in mine}
        by_number = {r.version_number: r for r in mine}
        rows = [
            {"version": v, "receipt": by_revision.get(v.revision_id), "covered_by": by_number.get(v.number)}
            for v in reversed(versions)
        ]
        return TemplateResponse(request, "policy/versions.html", {"page": self, "rows": rows})

    @path("versions/<int:revision_id>/", name="version")
    def version_view(self, request, revision_id):
        from ..models import PolicyVersion
        from ..reader_links import links_for_reader
        from ..rendering import revision_body_html

        version = PolicyVersion.objects.filter(page_id=self.pk, revision_id=revision_id).first()
        if version is None:
            raise Http404  # drafts and unknown revisions are never shown here
        return TemplateResponse(
            request,
            "policy/version.html",
            {
                "page": self,
                "version": version,
                "as_published": version.revision.as_object(),
                "body_html": links_for_reader(revision_body_html(revision_id), request),
                "is_current": revision_id == self.live_revision_id,
            },
        )

    @path("changes/", name="changes")
    def changes_view(self, request):
        from ..models import PolicyVersion, ReadReceipt
        from ..rendering import plain_text, revision_body_html, word_diff

        versions = {v.revision_id: v for v in PolicyVersion.objects.filter(page_id=self.pk)}
        to_version = versions.get(_int(request.GET.get("to")) or self.live_revision_id)
        from_id = _int(request.GET.get("from"))
        if from_id is None:
            last = ReadReceipt.objects.filter(user=request.user, page_id=self.pk).order_by("-acknowledged_at").first()
            from_id = last.revision_id if last else None
        from_version = versions.get(from_id) if from_id else None
        if (from_id and from_version is None) or to_version is None:
            raise Http404
        context = {"page": self, "from_version": from_version, "to_version": to_version,
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
