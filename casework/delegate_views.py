"""The delegate's screens: the children whose PEP a designated teacher has let them help with.

A delegate sees only what they were given: the child's preferred name, year group and school, and the
delegated sections of the current PEP, with a form for each. Nothing else of the record (no documents,
plans, reviews, identity, status, sign-off, export, transfer or access log). Anything outside an active
delegation is a 404; a section not delegated is a 403; a PEP ready for sign-off or signed off cannot be
changed. Every read and change is audited; every response is no-store; the Children in Care policy
gate applies.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from . import audit
from .delegate_forms import ActivityForm, AttainmentForm, ProgressForm, TargetForm, ViewsForm
from .enums import AuditAction, DelegatedSection, PEPStatus
from .models import PEP, Activity, Delegation, Target, TargetProgress
from .models.peps import LOCKED_STATUS
from .view_guards import no_store

# Stricter than the sign-off lock (LOCKED_STATUS, which the models enforce): a delegate also stops at "ready".
LOCKED_STATUSES = (PEPStatus.READY, LOCKED_STATUS)

# Each form on the page (the posted `action`) and the delegated section it belongs to.
ACTIONS = {
    "views": DelegatedSection.VIEWS,
    "attainment": DelegatedSection.ATTAINMENT,
    "target": DelegatedSection.TARGETS,
    "progress": DelegatedSection.TARGETS,
    "activity": DelegatedSection.ACTIVITIES,
}


def delegate_view(view):
    """Never cached (each view checks the delegation; the Children in Care policy gate is in front of it)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        return no_store(response)

    return wrapper


def current_pep(child, today=None):
    """The PEP for now: the latest that has started, else the earliest still to come."""
    today = today or timezone.localdate()
    peps = PEP.objects.filter(child=child)
    return peps.filter(period_starts_on__lte=today).order_by("-period_starts_on").first() or (
        peps.order_by("period_starts_on").first()
    )


def pep_lock_message(pep) -> str:
    if pep is not None and pep.status in LOCKED_STATUSES:
        return (
            f"This PEP is {pep.get_status_display().lower()}, so it cannot be changed now. "
            "If something needs correcting, ask the designated teacher."
        )
    return ""


@delegate_view
def delegated_list(request):
    delegations = list(
        Delegation.objects.of_delegate(request.user).select_related("child__school").order_by("ends_on", "pk")
    )
    if not delegations:
        raise Http404
    audit.record(request, AuditAction.LIST, detail="delegated casework", once_a_minute=True)
    return render(request, "casework/delegate/list.html", {"delegations": delegations})


def _forms(delegation, pep, data=None, action=None):
    """Every form the delegate may use, unbound; the one posted (if any) bound to `data`."""

    def bound(name):
        return data if action == name else None

    forms = {}
    allows = delegation.allows
    if pep is not None and not pep_lock_message(pep):
        if allows(DelegatedSection.VIEWS):
            forms["views"] = ViewsForm(bound("views"), instance=pep, prefix="views")
        if allows(DelegatedSection.ATTAINMENT):
            forms["attainment"] = AttainmentForm(bound("attainment"), instance=pep, prefix="attainment")
        if allows(DelegatedSection.TARGETS):
            forms["target"] = TargetForm(bound("target"), instance=Target(pep=pep), prefix="target")
            forms["progress"] = ProgressForm(bound("progress"), pep=pep, prefix="progress")
    if allows(DelegatedSection.ACTIVITIES) and not pep_lock_message(pep):
        forms["activity"] = ActivityForm(
            bound("activity"), instance=Activity(child=delegation.child), prefix="activity"
        )
    return forms


SAVED = {
    "views": "The views were saved.",
    "attainment": "Attainment and attendance were saved.",
    "target": "The target was added.",
    "progress": "The progress note was added.",
    "activity": "The activity was added.",
}


def _save(request, action, form, pep) -> bool:
    """Save the one form posted and audit it, in one transaction; False if the PEP was locked meanwhile."""
    with transaction.atomic():
        if pep is not None and PEP.objects.select_for_update().filter(pk=pep.pk, status__in=LOCKED_STATUSES).exists():
            return False
        record = form.save(commit=False)
        if isinstance(record, Target | Activity):
            record.entered_by = request.user
        if isinstance(record, TargetProgress):
            record.noted_by = request.user
        if isinstance(record, PEP):
            record.save(update_fields=list(form.Meta.fields))
            audit.record(request, AuditAction.CHANGE, record, detail=f"delegated entry: {action}")
        else:
            record.save()
            audit.record(request, AuditAction.CREATE, record, detail="delegated entry")
    return True


@delegate_view
def delegated_child(request, pk):
    delegation = Delegation.objects.of_delegate(request.user).select_related("child__school").filter(pk=pk).first()
    if delegation is None:
        raise Http404
    child = delegation.child
    pep = current_pep(child)
    action = request.POST.get("action", "") if request.method == "POST" else None
    if action is not None:
        # `of_delegate` has already checked that the delegation is this person's and active.
        if action not in ACTIONS or not delegation.allows(ACTIONS[action]):
            raise PermissionDenied
        if pep_lock_message(pep):
            messages.error(request, pep_lock_message(pep))
            return redirect("casework:delegated_child", pk=delegation.pk)
    forms = _forms(delegation, pep, request.POST if action else None, action)
    if action:
        form = forms.get(action)
        if form is None:  # a PEP section with no PEP yet
            messages.error(request, "There is no PEP for this child yet: the designated teacher starts it.")
            return redirect("casework:delegated_child", pk=delegation.pk)
        if form.is_valid():
            if _save(request, action, form, pep):
                messages.success(request, SAVED[action])
            else:
                messages.error(request, pep_lock_message(PEP.objects.get(pk=pep.pk)))
            return redirect("casework:delegated_child", pk=delegation.pk)
        if form.has_error(NON_FIELD_ERRORS, code="pep_locked"):  # signed off since the page was read
            messages.error(request, pep_lock_message(PEP.objects.get(pk=pep.pk)))
            return redirect("casework:delegated_child", pk=delegation.pk)
        messages.error(request, "Nothing was saved: put right what is marked below.")
    audit.record(request, AuditAction.READ, child, detail="delegated entry")
    context = {
        "delegation": delegation,
        "child": child,
        "pep": pep,
        "forms": forms,
        "posted": action,
        "locked": pep_lock_message(pep),
        "sections": DelegatedSection,
        "targets": list(pep.targets.prefetch_related("progress_notes")) if pep else [],
        "activities": list(Activity.objects.filter(child=child).order_by("-starts_on"))
        if delegation.allows(DelegatedSection.ACTIVITIES)
        else [],
    }
    return render(request, "casework/delegate/child.html", context, status=200)
