from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from .access import has_role
from .enums import Role
from .forms import StaffImportForm
from .staff_import import import_staff


def import_staff_view(request):
    if not has_role(request.user, Role.TRUST_ADMIN):
        raise PermissionDenied
    errors = []
    if request.method == "POST":
        form = StaffImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = import_staff(form.cleaned_data["school"], form.cleaned_data["file"])
            if result.ok:
                messages.success(request, f"{form.cleaned_data['school'].name}: {result.summary()}")
                return redirect("trust_import_staff")
            errors = result.errors
    else:
        form = StaffImportForm()
    return TemplateResponse(request, "trust/admin/import_staff.html", {"form": form, "errors": errors})
