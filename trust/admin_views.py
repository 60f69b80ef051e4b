from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from .access import has_role
from .enums import Role
from .forms import StaffImportForm
from .invitations import send_invitations
from .models import School
from .staff_import import PlanChanged, apply_plan, plan_import

PREVIEW_SESSION_KEY = "trust_staff_import_preview"


def _preview(request, plan, *, warning="", tick_error=""):
    request.session[PREVIEW_SESSION_KEY] = {"school": plan.school.pk, "text": plan.text, "digest": plan.digest}
    return TemplateResponse(
        request,
        "trust/admin/import_staff_preview.html",
        {"plan": plan, "warning": warning, "tick_error": tick_error},
    )


def _confirm(request):
    stored = request.session.get(PREVIEW_SESSION_KEY)
    school = School.objects.filter(pk=(stored or {}).get("school")).first()
    if not stored or school is None:
        messages.error(request, "There is no preview to confirm (it may have been confirmed already). Upload the file again.")
        return redirect("trust_import_staff")
    plan = plan_import(school, stored["text"])
    changed = "The staff list in the portal changed since your preview. Check this new preview and confirm again."
    if plan.digest != request.POST.get("digest") or plan.digest != stored["digest"]:
        return _preview(request, plan, warning=changed)
    count = len(plan.deactivated)
    if plan.needs_deactivation_tick and request.POST.get("confirm_deactivations") != str(count):
        return _preview(request, plan, tick_error=f"Tick the box to confirm that {count} accounts are deactivated.")
    try:
        result = apply_plan(plan)
    except PlanChanged:
        return _preview(request, plan_import(school, stored["text"]), warning=changed)
    del request.session[PREVIEW_SESSION_KEY]
    sent = send_invitations(result.new_users, school)
    messages.success(request, f"{school.name}: {plan.summary()} {sent}")
    return redirect("trust_import_staff")


def import_staff_view(request):
    if not has_role(request.user, Role.TRUST_ADMIN):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return _confirm(request)
    errors = []
    if request.method == "POST":
        form = StaffImportForm(request.POST, request.FILES)
        if form.is_valid():
            plan = plan_import(form.cleaned_data["school"], form.cleaned_data["file"])
            if plan.ok:
                return _preview(request, plan)
            errors = plan.errors
    else:
        form = StaffImportForm()
    return TemplateResponse(request, "trust/admin/import_staff.html", {"form": form, "errors": errors})
