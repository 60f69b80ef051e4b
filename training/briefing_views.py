from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from wagtail.log_actions import log

from trust.models import School

from . import briefing_cache
from .briefing_access import (
    briefing_school_ids,
    can_see_briefing,
    can_see_briefing_for,
    chasing_school_ids,
    names_school_ids,
)
from .briefing_export import as_csv, as_xlsx
from .oversight import kept_casework_oversight, total

EXPORTERS = {"csv": as_csv, "xlsx": as_xlsx}


def _scope(request):
    if not can_see_briefing(request.user):
        raise PermissionDenied
    return briefing_school_ids(request.user)


def _school(request, slug):
    _scope(request)
    school = get_object_or_404(School, slug=slug)
    if not can_see_briefing_for(request.user, school):
        raise Http404
    return school


def _overview_report(request):
    return briefing_cache.report(_scope(request))


def _with_casework(report, school_ids):
    figures = kept_casework_oversight(school_ids)
    for entry in report.schools:
        entry.casework = figures.get(entry.school.pk)
    report.totals.casework = total(figures) if figures else None
    return report


def _exporter(fmt):
    if fmt not in EXPORTERS:
        raise Http404
    return EXPORTERS[fmt]


@require_GET
def overview(request):
    school_ids = _scope(request)
    casework = kept_casework_oversight(school_ids)  # None: the whole trust
    key = briefing_cache.report_key(school_ids)
    context = {
        # The template keeps the tables it renders from the report under the report's own cache key:
        # while nothing they count has changed, the report is neither built nor read.
        "report": SimpleLazyObject(lambda: briefing_cache.report(school_ids, key=key)),
        "report_key": key,
        "casework_totals": total(casework) if casework else None,
        "can_chase": chasing_school_ids(request.user) != set(),
    }
    return TemplateResponse(request, "training/briefing/overview.html", context)


@require_GET
def school_detail(request, slug):
    school = _school(request, slug)
    report = _with_casework(
        briefing_cache.report({school.pk}, names_for=names_school_ids(request.user, [school.pk])), [school.pk]
    )
    return TemplateResponse(
        request,
        "training/briefing/school.html",
        {
            "report": report,
            "entry": report.schools[0],
            "school": school,
            "report_year": _current_year(),
            "can_chase": chasing_school_ids(request.user) != set(),
        },
    )


def _current_year():
    from trust.calendar_models import academic_year_of

    return academic_year_of(timezone.localdate())


@require_GET
def overview_export(request, fmt):
    exporter = _exporter(fmt)
    report = _overview_report(request)
    log(instance=request.user, action="training.briefing_export", user=request.user, data={"format": fmt})
    return exporter(report, f"briefing-{timezone.localdate():%Y-%m-%d}")


@require_GET
def school_export(request, slug, fmt):
    exporter = _exporter(fmt)
    school = _school(request, slug)
    report = briefing_cache.report({school.pk}, names_for=names_school_ids(request.user, [school.pk]))
    log(instance=school, action="training.briefing_export", user=request.user, data={"format": fmt})
    return exporter(report, f"briefing-{school.slug}-{timezone.localdate():%Y-%m-%d}")


@require_GET
def school_annual_report(request, slug):
    """The designated teacher's annual report to the governing board as a PDF: figures only, no child named."""
    from . import annual_report

    school = _school(request, slug)
    try:
        year = annual_report.chosen_year(request.GET.get("year"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("briefing_school", slug=school.slug)
    pdf = annual_report.render_pdf(school, year)
    log(instance=school, action="training.annual_report", user=request.user, data={"year": year})
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"designated-teacher-annual-report-{school.slug}-{year.replace('/', '-')}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
