from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.log_actions import log

from trust.models import School

from .briefing import build_report
from .briefing_access import briefing_school_ids, can_see_briefing, can_see_briefing_for, names_school_ids
from .briefing_export import as_csv, as_xlsx
from .oversight import casework_oversight, total

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
    school_ids = _scope(request)
    ids = list(School.objects.values_list("pk", flat=True)) if school_ids is None else school_ids
    return build_report(school_ids), ids


def _with_casework(report, school_ids):
    figures = casework_oversight(school_ids)
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
    report, ids = _overview_report(request)
    return TemplateResponse(request, "training/briefing/overview.html", {"report": _with_casework(report, ids)})


@require_GET
def school_detail(request, slug):
    school = _school(request, slug)
    report = _with_casework(
        build_report({school.pk}, names_for=names_school_ids(request.user, [school.pk])), [school.pk]
    )
    return TemplateResponse(
        request, "training/briefing/school.html", {"report": report, "entry": report.schools[0], "school": school}
    )


@require_GET
def overview_export(request, fmt):
    exporter = _exporter(fmt)
    report, _ids = _overview_report(request)
    log(instance=request.user, action="training.briefing_export", user=request.user, data={"format": fmt})
    return exporter(report, f"briefing-{timezone.localdate():%Y-%m-%d}")


@require_GET
def school_export(request, slug, fmt):
    exporter = _exporter(fmt)
    school = _school(request, slug)
    report = build_report({school.pk}, names_for=names_school_ids(request.user, [school.pk]))
    log(instance=school, action="training.briefing_export", user=request.user, data={"format": fmt})
    return exporter(report, f"briefing-{school.slug}-{timezone.localdate():%Y-%m-%d}")
