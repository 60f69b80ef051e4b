"""A person's own read receipts (to open and print), and recording a paper acknowledgement."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from trust.access import has_role
from trust.enums import Role
from trust.shown_text import revision_text_sha256

from .acknowledgements import AlreadyAcknowledged, record_on_paper
from .forms import PaperAcknowledgementForm
from .models import GuidancePage, PolicyPage, ReadReceipt
from .versions import current_version


def receipts(request):
    mine = ReadReceipt.objects.filter(user=request.user).select_related("page")
    return TemplateResponse(request, "policy/receipts.html", {"receipts": mine})


def receipt_detail(request, pk):
    receipt = get_object_or_404(ReadReceipt.objects.select_related("page", "revision", "recorded_by"), pk=pk,
                                user=request.user)
    matches = revision_text_sha256(receipt.revision_id) == receipt.text_sha256
    return TemplateResponse(
        request,
        "policy/receipt.html",
        {"receipt": receipt, "title": (receipt.revision.content or {}).get("title", ""), "hash_matches": matches},
    )


def record_paper_acknowledgement(request):
    if not has_role(request.user, Role.TRUST_ADMIN):
        raise PermissionDenied
    pages = [
        p
        for model in (PolicyPage, GuidancePage)
        for p in model.objects.live().filter(acknowledgement_required=True).order_by("title")
    ]
    form = PaperAcknowledgementForm(request.POST or None, pages=pages)
    if request.method == "POST" and form.is_valid():
        page = form.chosen_page
        version = current_version(page)
        if version is None:
            form.add_error("page", "This page has no published version to acknowledge.")
        else:
            try:
                receipt = record_on_paper(
                    form.person,
                    page,
                    version,
                    recorded_by=request.user,
                    signed_on=form.cleaned_data["signed_on"],
                    reason=form.cleaned_data["reason"],
                )
            except AlreadyAcknowledged as exc:
                when = f" on {exc.receipt.acknowledged_at:%d %B %Y}" if exc.receipt else ""
                form.add_error("email", f"They have already acknowledged version {version.number}{when}.")
            else:
                name = receipt.user.get_full_name() or receipt.user.email
                messages.success(
                    request, f"Recorded: {name} acknowledged version {receipt.version_number} of “{page.title}” on paper."
                )
                return redirect("policy_record_on_paper")
    return TemplateResponse(request, "policy/record_on_paper.html", {"form": form})
