"""Chasing: "Send reminders now" and the log of every digest sent.

The executive head may remind everyone (or one school); a designated teacher their own school(s). Each
press sends one digest to each outstanding person in scope who has not had one today (the digest log's
unique constraint: pressing again sends nobody a second one), and says how many went.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from trust.models import Membership, School

from .briefing_access import chasing_school_ids
from .models import ReminderDigest, ReminderRun
from .reminders import run_reminders

PAGE_SIZE = 50


def _chase_scope(request):
    ids = chasing_school_ids(request.user)
    if ids is not None and not ids:
        raise PermissionDenied
    return ids


def digests_for(school_ids):
    """The digest log this scope may read: everything (None), or digests to people of these schools."""
    digests = ReminderDigest.objects.select_related("user", "run__requested_by").order_by("-sent_at", "pk")
    if school_ids is None:
        return digests
    in_school = Membership.objects.filter(user=OuterRef("user"), school_id__in=school_ids)
    return digests.filter(kind=ReminderDigest.Kind.REMINDER).filter(Exists(in_school))


def _sent_message(run) -> str:
    if run.skipped_reason:
        return run.skipped_reason
    if not run.people_outstanding:
        return "Nobody has anything outstanding: no reminders were sent."
    sent = f"Sent {run.reminders_sent} reminder digest{'s' if run.reminders_sent != 1 else ''}"
    sent += f" to people with something outstanding{f' at {run.scope}' if run.scope else ''}."
    if run.already_reminded:
        sent += (
            f" {run.already_reminded} {'people' if run.already_reminded != 1 else 'person'} had already been "
            "reminded today and were not emailed again."
        )
    return sent


@require_http_methods(["GET"])
def reminders(request):
    school_ids = _chase_scope(request)
    schools = School.objects.order_by("name")
    if school_ids is not None:
        schools = schools.filter(pk__in=school_ids)
    page = Paginator(digests_for(school_ids), PAGE_SIZE).get_page(request.GET.get("page"))
    last_runs = ReminderRun.objects.select_related("requested_by").order_by("-started_at")[:5]
    if school_ids is not None:
        last_runs = ReminderRun.objects.none()  # the runs' figures cover every school: the head's view
    return TemplateResponse(
        request,
        "training/briefing/reminders.html",
        {"schools": list(schools), "page": page, "every_school": school_ids is None, "last_runs": last_runs},
    )


@require_POST
def send_now(request):
    school_ids = _chase_scope(request)
    slug = request.POST.get("school") or ""
    if slug:
        if not slug_re.fullmatch(slug):
            raise Http404  # a NUL byte or a huge value never reaches the database
        school = get_object_or_404(School, slug=slug)
        if school_ids is not None and school.pk not in school_ids:
            raise Http404
        chosen = {school.pk}
    elif school_ids is None:
        chosen = None
    else:
        chosen = set(school_ids)
    run = run_reminders(ReminderRun.Trigger.BUTTON, school_ids=chosen, requested_by=request.user, escalate=False)
    (messages.warning if run.skipped_reason else messages.success)(request, _sent_message(run))
    return redirect("briefing_reminders")
