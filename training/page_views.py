"""The reader's side of the training pages: the index of the person's modules, and a module with its
completion form. Each is reached through its page's `serve` or `get_context` (training/models/pages.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from trust.access import current_memberships
from trust.page_privacy import openable

from .audience import is_in_audience, modules_for
from .completion import complete_module
from .forms import CompletionForm
from .versions import progress_for


def check_index_access(request) -> None:
    """The index is for anyone who belongs to the trust (and the admin's previews): 403 otherwise."""
    if not getattr(request, "is_preview", False) and not current_memberships(request.user):
        raise PermissionDenied


def index_context(index, request, context):
    modules = list(modules_for(request.user).child_of(index).order_by("path"))
    progress = progress_for(request.user, modules)
    for module in modules:
        module.progress = progress[module.pk]
    context["modules"] = modules
    return context


def serve_module(module, request, serve_page):
    """The module for its audience (404 for anyone else; the admin's previews always): a POST completes it."""
    if getattr(request, "is_preview", False):
        return serve_page()
    if not is_in_audience(request.user, module):
        raise Http404
    if request.method == "POST":
        return _complete(module, request)
    return serve_page()


def _complete(module, request):
    """The person's answers: a receipt when they pass, the form with what to fix when they do not."""
    form = CompletionForm(module, request.POST)
    if form.is_valid():
        result = complete_module(
            request.user,
            module,
            revision_id=form.cleaned_data["revision"],
            answers=form.answers(),
        )
        if result.ok:
            messages.success(request, f"You have completed “{module.title}”. Your receipt is below.")
            return redirect("training_receipt", pk=result.receipt.pk)
        form.add_result_errors(result)
    context = module.get_context(request)
    context["form"] = form
    return TemplateResponse(request, module.get_template(request), context, status=200)


def module_context(module, request, context):
    context["form"] = CompletionForm(module)
    progress = progress_for(request.user, [module])[module.pk]
    context["progress"] = progress
    context["receipt"] = progress.receipt
    related = openable(module.related_pages.select_related("page"), request.user, path="page__path")
    context["related"] = [r.page for r in related if r.page.live]
    return context
