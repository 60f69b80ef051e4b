"""Go-live in the admin: Casework › Import children. Upload the CSV `manage.py import_children` reads, see by
name who will be added and who changed (what), with each one's last PEP date, then confirm: exactly the
preview is applied, or, if the file's children or their records changed since, the new preview is shown to
confirm again. The parsing and the rule are casework/child_import.py's (one rule, one place).

Only a designated teacher, for their own schools (`trust.access.own_school_ids`): the executive head and the
trust administrator see no child (DESIGN), so they are refused the screen like everyone else (a 403, as the
admin's other casework screens: it names no record, so there is nothing whose existence could leak). Every
preview, import and refusal of a line is in the case audit.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from trust.access import own_school_ids
from trust.models import School

from . import audit
from .child_import import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, NotTheirSchool, PlanChanged, apply_plan, plan_import
from .enums import AuditAction
from .view_guards import no_store

MAX_CSV_BYTES = 2 * 1024 * 1024
PREVIEW_SESSION_KEY = "casework_child_import_preview"
CHANGED = "The children's records or the file changed since your preview. Check this new preview and confirm again."


class ChildImportForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), empty_label="Choose a school")
    file = forms.FileField(
        label="Children (CSV)",
        help_text=f"Columns: {', '.join(REQUIRED_COLUMNS)}; optional: {', '.join(OPTIONAL_COLUMNS)}. "
        "Dates as 2026-09-03. A child already on record (same UPN, or same legal name and date of birth) is "
        "updated; an empty cell keeps what the record says.",
    )

    def __init__(self, *args, school_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(pk__in=school_ids).order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB. Split it into one file a school.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file is not a UTF-8 CSV. Save it from Excel as 'CSV UTF-8'.") from exc


def _preview(request, plan, *, warning=""):
    request.session[PREVIEW_SESSION_KEY] = {"school": plan.school.pk, "text": plan.text, "digest": plan.digest}
    audit.record(request, AuditAction.LIST, detail=f"go-live import preview: school {plan.school.pk}")
    return no_store(
        TemplateResponse(request, "casework/admin/import_children_preview.html", {"plan": plan, "warning": warning})
    )


def _confirm(request, own):
    stored = request.session.get(PREVIEW_SESSION_KEY) or {}
    school = School.objects.filter(pk=stored.get("school")).first() if isinstance(stored.get("school"), int) else None
    if school is None or school.pk not in own:
        messages.error(
            request, "There is no preview to confirm (it may have been confirmed already). Upload the file again."
        )
        return redirect("casework_import_children")
    plan = plan_import(school, stored["text"], allowed_school_ids=own)
    if not plan.ok:
        return _form(request, own, ChildImportForm(school_ids=own), plan.errors)
    if plan.digest != request.POST.get("digest") or plan.digest != stored["digest"]:
        return _preview(request, plan, warning=CHANGED)
    try:
        result = apply_plan(request.user, plan)
    except PlanChanged:
        return _preview(request, plan_import(school, stored["text"], allowed_school_ids=own), warning=CHANGED)
    except NotTheirSchool:
        raise Http404 from None
    del request.session[PREVIEW_SESSION_KEY]
    messages.success(request, f"{school.name}: {len(result.created)} children added, {len(result.changed)} changed.")
    return redirect("casework_import_children")


def _form(request, own, form, errors=()):
    return no_store(
        TemplateResponse(request, "casework/admin/import_children.html", {"form": form, "errors": list(errors)})
    )


def import_children_view(request):
    own = own_school_ids(request.user)
    if not own:
        raise PermissionDenied  # a screen, not a record: refused as the admin's other casework screens are
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return _confirm(request, own)
    errors = []
    if request.method == "POST":
        form = ChildImportForm(request.POST, request.FILES, school_ids=own)
        if form.is_valid():
            plan = plan_import(form.cleaned_data["school"], form.cleaned_data["file"], allowed_school_ids=own)
            if plan.ok:
                return _preview(request, plan)
            errors = plan.errors
            audit.record(
                request, AuditAction.LIST, detail=f"go-live import refused: school {form.cleaned_data['school'].pk}"
            )
    else:
        form = ChildImportForm(school_ids=own)
    return _form(request, own, form, errors)


@hooks.register("register_admin_urls")
def register_import_children_url():
    return [path("casework/import-children/", import_children_view, name="casework_import_children")]


class DesignatedTeacherOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(own_school_ids(request.user))


@hooks.register("register_admin_menu_item")
def register_import_children_menu_item():
    return DesignatedTeacherOnlyMenuItem(
        "Import children", reverse("casework_import_children"), icon_name="upload", order=9010
    )
