"""Policy import in the admin: upload a Word (.docx) or plain-text (.txt) policy, see the draft it will make,
then create it as a draft under /policies/ and open its editor.

The parsing is `policy.importer` (the same as `manage.py import_policy`); this module only asks for the file,
shows the result and saves it. The parsed result waits in the session (Django signs the session cookie and
keeps the data server-side) with a digest of exactly what was shown: "Create draft" creates that, and refuses
if the preview in the session is not the one on the person's screen (another tab, or none).
"""

import hashlib
import json
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.log_actions import log

from .importer import MAX_UPLOAD_BYTES, ImportedPolicy, PolicyImportError, parse_upload
from .models import PolicyIndexPage, PolicyPage

SESSION_KEY = "policy_import_preview"


class PolicyUploadForm(forms.Form):
    file = forms.FileField(
        label="Policy file",
        help_text="A Word document (.docx) or plain text (.txt), up to 10 MB. Headings, lists and the cover "
        "page's adoption and review dates are read from it.",
        allow_empty_file=True,  # the importer says "is empty" in its own words
    )


def policy_index_for(user):
    """The policy index when this person may add policy pages under it; otherwise None."""
    index = PolicyIndexPage.objects.first()
    if index is None or not index.permissions_for_user(user).can_add_subpage():
        return None
    return index


def _index_or_refuse(request):
    index = policy_index_for(request.user)
    if index is None:
        raise PermissionDenied
    return index


def _stored(imported: ImportedPolicy, file_name: str) -> dict:
    data = {
        "file_name": file_name,
        "title": imported.title or _title_from(file_name),
        "adopted_on": imported.adopted_on.isoformat() if imported.adopted_on else None,
        "review_basis": imported.review_basis,
        "next_review": imported.next_review.isoformat() if imported.next_review else None,
        "blocks": imported.blocks,
    }
    data["digest"] = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return data


def _title_from(file_name: str) -> str:
    stem = file_name.rsplit(".", 1)[0].replace("-", " ").replace("_", " ").strip()
    return (stem.capitalize() or "Imported policy")[:255]


def _draft(stored: dict) -> PolicyPage:
    """The page the preview shows and "Create draft" saves (not yet in the tree)."""
    return PolicyPage(
        title=stored["title"][:255],
        summary=f"Imported from {stored['file_name']}. Write a short summary before publishing."[:600],
        body=stored["blocks"],
        adopted_on=date.fromisoformat(stored["adopted_on"]) if stored["adopted_on"] else None,
        review_basis=stored["review_basis"],
        next_review=date.fromisoformat(stored["next_review"]) if stored["next_review"] else None,
        live=False,
    )


@require_http_methods(["GET", "POST"])
def upload(request):
    _index_or_refuse(request)
    error = ""
    form = PolicyUploadForm(request.POST, request.FILES) if request.method == "POST" else PolicyUploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or ""
        if upload.size > MAX_UPLOAD_BYTES:
            error = f"{name} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
        else:
            try:
                imported = parse_upload(name, upload.read())
            except PolicyImportError as exc:
                error = str(exc)
            else:
                stored = _stored(imported, name)
                request.session[SESSION_KEY] = stored
                return _preview(request, stored)
    return TemplateResponse(request, "policy/admin/import_upload.html", {"form": form, "error": error})


def _preview(request, stored):
    draft = _draft(stored)
    return TemplateResponse(
        request,
        "policy/admin/import_preview.html",
        {
            "stored": stored,
            "draft": draft,
            "headings": [b["value"] for b in stored["blocks"] if b["type"] in ("heading", "subheading")],
            "lists": sum(1 for b in stored["blocks"] if b["type"] == "list"),
        },
    )


def _free_slug(index, title) -> str:
    base = slugify(title)[:70] or "imported-policy"
    taken = set(index.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@require_POST
def create(request):
    index = _index_or_refuse(request)
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("digest") != request.POST.get("digest"):
        messages.error(
            request,
            "That preview is no longer the one waiting to be created (it was created already, or another file "
            "was uploaded since). Nothing was created: upload the file again.",
        )
        return redirect("policy_import")
    page = _draft(stored)
    page.slug = _free_slug(index, page.title)
    with transaction.atomic():
        index.add_child(instance=page)
        page.save_revision(user=request.user, log_action=False)
        log(instance=page, action="policy.imported", user=request.user, data={"file": stored["file_name"]})
    del request.session[SESSION_KEY]
    messages.success(
        request,
        f"“{page.title}” was imported as a draft at /policies/{page.slug}/. Write its summary, check its "
        "audience and submit it for approval.",
    )
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
