"""School calendars in the Wagtail admin: terms, INSET and closure days, iCalendar import and export.

Imported from trust/wagtail_hooks.py; trust administrators keep every school's calendar.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .access import has_role
from .calendar_ical import CalendarImportError, export_calendar, import_calendar, read_calendar
from .calendar_models import NonTeachingDay, Term
from .enums import Role
from .models import School

MAX_ICS_BYTES = 1024 * 1024


class TermViewSet(ModelViewSet):
    model = Term
    icon = "date"
    menu_label = "Terms"
    url_prefix = "trust/terms"
    url_namespace = "school_terms"
    form_fields = ["school", "academic_year", "name", "starts_on", "ends_on"]
    list_display = ["school", "academic_year", "name", "starts_on", "ends_on"]
    list_filter = ["school", "academic_year"]
    copy_view_enabled = False


class NonTeachingDayViewSet(ModelViewSet):
    model = NonTeachingDay
    icon = "calendar-alt"
    menu_label = "INSET and closure days"
    url_prefix = "trust/non-teaching-days"
    url_namespace = "school_non_teaching_days"
    form_fields = ["school", "date", "kind", "reason"]
    list_display = ["school", "date", "kind", "reason"]
    list_filter = ["school", "kind"]
    copy_view_enabled = False


class CalendarViewSetGroup(ModelViewSetGroup):
    menu_label = "School calendars"
    menu_icon = "date"
    menu_order = 8900
    items = (TermViewSet("school_terms"), NonTeachingDayViewSet("school_non_teaching_days"))


class CalendarImportForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.all())
    file = forms.FileField(label="iCalendar file (.ics)", help_text="Terms, INSET days and closure days.")
    replace = forms.BooleanField(
        required=False, label="Replace the school's dates for the years in this file", initial=False
    )
    leave_out_unclassified = forms.BooleanField(
        required=False,
        label="Leave out the events the file does not explain",
        help_text="The preview lists them. Tick this only once you have checked none is a term, holiday or INSET day.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ICS_BYTES:
            raise ValidationError("The file is larger than 1 MB: is it the right file?")
        return upload


def _require_trust_admin(request):
    if not has_role(request.user, Role.TRUST_ADMIN):
        raise PermissionDenied


def calendar_import_view(request):
    _require_trust_admin(request)
    errors = []
    form = CalendarImportForm(request.POST or None, request.FILES or None)
    preview = []
    if request.method == "POST" and form.is_valid():
        school = form.cleaned_data["school"]
        data = form.cleaned_data["file"].read()
        try:
            preview = read_calendar(data).lines()
            if "preview" in request.POST:
                return TemplateResponse(
                    request,
                    "trust/admin/calendar_import.html",
                    {"form": form, "errors": [], "preview": preview, "schools": School.objects.all()},
                )
            result = import_calendar(
                school,
                data,
                replace=form.cleaned_data["replace"],
                ignore_unclassified=form.cleaned_data["leave_out_unclassified"],
            )
        except (CalendarImportError, ValidationError) as exc:
            errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        else:
            messages.success(
                request,
                f"{school.name}: {result.terms} term parts, {result.inset_days} INSET days and "
                f"{result.closure_days} closure days imported.",
            )
            return redirect("trust_calendar_import")
    return TemplateResponse(
        request,
        "trust/admin/calendar_import.html",
        {"form": form, "errors": errors, "preview": preview, "schools": School.objects.all()},
    )


def calendar_export_view(request, slug):
    _require_trust_admin(request)
    school = get_object_or_404(School, slug=slug)
    year = request.GET.get("year") or None
    response = HttpResponse(export_calendar(school, year), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{school.slug}-term-dates.ics"'
    return response


@hooks.register("register_admin_viewset")
def register_calendar_viewsets():
    return CalendarViewSetGroup()


@hooks.register("register_admin_urls")
def register_calendar_urls():
    return [
        path("trust/calendar/import/", calendar_import_view, name="trust_calendar_import"),
        path("trust/calendar/<slug:slug>/export.ics", calendar_export_view, name="trust_calendar_export"),
    ]


class TrustAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.TRUST_ADMIN)


@hooks.register("register_admin_menu_item")
def register_calendar_import_menu_item():
    return TrustAdminMenuItem("Import term dates", reverse("trust_calendar_import"), icon_name="date", order=9010)
