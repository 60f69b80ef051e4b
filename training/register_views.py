"""The evidence register's pages: the versions, one version's register (filterable, exportable), and
each person's own history.

Who sees what (training/briefing_access.py): the executive head every school with names; a designated
teacher their own school(s) with names; governors and trust administrators counts only; staff and
people with no role are refused (403). A school outside a person's scope is 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.log_actions import log

from trust.enums import Role
from trust.models import School

from .briefing_access import briefing_school_ids, can_see_briefing, names_school_ids
from .briefing_sources import all_requirements
from .register import STATUS_LABELS, build_register, filtered, find_requirement
from .register_export import EXPORTERS
from .register_versions import with_earlier_versions

ROLE_FILTERS = [(Role.STAFF, "Staff"), (Role.GOVERNOR, "Governors"), (Role.DESIGNATED_TEACHER, "Designated teachers")]


def _scope(request):
    if not can_see_briefing(request.user):
        raise PermissionDenied
    return briefing_school_ids(request.user)


@require_GET
def index(request):
    _scope(request)
    entries = with_earlier_versions(all_requirements())
    return TemplateResponse(request, "training/register/index.html", {"entries": entries})


def _chosen(request, key):
    scope = _scope(request)
    requirement = find_requirement(key)
    if requirement is None:
        raise Http404
    schools = School.objects.order_by("name")
    if scope is not None:
        schools = schools.filter(pk__in=scope)
    schools = list(schools)
    slug = request.GET.get("school") or ""
    school = None
    if slug:
        school = next((s for s in schools if s.slug == slug), None)
        if school is None:
            raise Http404  # unknown, or not theirs: the same answer, and the parameter never reaches the database
    role = request.GET.get("role") or ""
    role = role if role in dict(ROLE_FILTERS) else ""
    status = request.GET.get("status") or ""
    status = status if status in STATUS_LABELS else ""
    ids = [s.pk for s in schools] if scope is not None else None
    names_for = names_school_ids(request.user, [s.pk for s in schools])
    # Names only when every school in view is one where this person may see names.
    in_view = {school.pk} if school else {s.pk for s in schools}
    names = bool(in_view) and in_view <= names_for
    register = build_register(requirement, ids)
    shown = filtered(register, school_id=school.pk if school else None, role=role, status=status)
    scope_label = school.name if school else ("Every school" if scope is None else ", ".join(s.name for s in schools))
    return {
        "requirement": requirement,
        "register": shown,
        "names": names,
        "schools": schools,
        "school": school,
        "role": role,
        "status": status,
        "role_filters": ROLE_FILTERS,
        "status_filters": list(STATUS_LABELS.items()),
        "scope_label": scope_label,
        "query": request.GET.urlencode(),
    }


@require_GET
def detail(request, key):
    context = _chosen(request, key)
    return TemplateResponse(request, "training/register/detail.html", {**context, "made_at": timezone.now()})


@require_GET
def export(request, key, fmt):
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise Http404
    context = _chosen(request, key)
    made_at = timezone.now()
    log(
        instance=request.user,
        action="training.register_export",
        user=request.user,
        data={"format": fmt, "version": key, "scope": context["scope_label"], "names": context["names"]},
    )
    filename = f"evidence-register-{key}-{timezone.localdate(made_at):%Y-%m-%d}"
    return exporter(
        context["register"], filename, names=context["names"], scope_label=context["scope_label"], made_at=made_at
    )


@require_GET
def mine(request):
    """The person's own history: every acknowledgement and completion they have made, newest first."""
    from policy.models import ReadReceipt

    from .models import TrainingCompletion

    if not request.user.is_authenticated:
        raise PermissionDenied
    entries = [
        {
            "kind": "Acknowledgement",
            "title": (r.revision.content or {}).get("title", "") or r.page.title,
            "version": r.version_number,
            "at": r.acknowledged_at,
            "how": f"On paper, signed {r.signed_on:%-d %B %Y}"
            if r.on_paper and r.signed_on
            else ("On paper" if r.on_paper else "Online"),
            "ref": f"R-{r.pk}",
            "hash": r.text_sha256,
        }
        for r in ReadReceipt.objects.filter(user=request.user).select_related("page", "revision")
    ] + [
        {
            "kind": "Training completed",
            "title": c.page.title,
            "version": c.version_number,
            "at": c.completed_at,
            "how": "Online",
            "ref": f"T-{c.pk}",
            "hash": c.text_sha256,
        }
        for c in TrainingCompletion.objects.filter(user=request.user).select_related("page")
    ]
    entries.sort(key=lambda e: e["at"], reverse=True)
    return TemplateResponse(request, "training/register/mine.html", {"entries": entries, "made_at": timezone.now()})
