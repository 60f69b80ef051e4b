"""wagtail-modeladmin views for casework: scoped to the person's schools, audited, never in Site history.

Out of scope is a 404. Create, edit and delete skip wagtail's `log()` (which would put a child's name
in the CMS-wide Site history) and write a CaseAuditEvent instead.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from wagtail_modeladmin.views import CreateView, DeleteView, EditView, IndexView, InspectView, ModelFormView

from . import audit
from .enums import AuditAction
from .forms import STORAGE_ERRORS
from .gate import gate_for
from .permissions import is_designated_teacher

STORAGE_FAILED = (
    "The document could not be stored: the file store did not answer. Nothing has been saved. "
    "Try again in a few minutes, and tell the trust's IT support if it keeps happening."
)


class GateMixin:
    """A designated teacher who has not acknowledged the Children in Care policy is sent to it first."""

    def dispatch(self, request, *args, **kwargs):
        if is_designated_teacher(request.user) and gate_for(request.user):
            return redirect("casework:home")  # which shows the policy and its link
        return super().dispatch(request, *args, **kwargs)


class ScopedInstanceMixin(GateMixin):
    def dispatch(self, request, *args, **kwargs):
        if not self.model_admin.get_queryset(request).filter(pk=self.instance.pk).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CaseworkIndexView(GateMixin, IndexView):
    def dispatch(self, request, *args, **kwargs):
        if request.GET.get(self.EXPORT_VAR):
            raise PermissionDenied  # exports go through their own audited views
        response = super().dispatch(request, *args, **kwargs)
        if request.user.is_authenticated and response.status_code == 200:
            audit.record(request, AuditAction.LIST, detail=f"list of {self.opts.model_name}")
        return response


class CaseworkInspectView(ScopedInstanceMixin, InspectView):
    def get(self, request, *args, **kwargs):
        audit.record(request, AuditAction.READ, self.instance)
        return super().get(request, *args, **kwargs)


class _SaveWithoutSiteHistory:
    audit_action = AuditAction.CHANGE

    def form_valid(self, form):
        try:
            with transaction.atomic():
                response = ModelFormView.form_valid(self, form)
                audit.record(self.request, self.audit_action, self.instance)
        except STORAGE_ERRORS:
            messages.error(self.request, STORAGE_FAILED)
            return self.render_to_response(self.get_context_data(form=form))
        return response


class CaseworkCreateView(GateMixin, _SaveWithoutSiteHistory, CreateView):
    audit_action = AuditAction.CREATE


class CaseworkEditView(ScopedInstanceMixin, _SaveWithoutSiteHistory, EditView):
    def get(self, request, *args, **kwargs):
        audit.record(request, AuditAction.READ, self.instance)
        return super().get(request, *args, **kwargs)


class CaseworkDeleteView(ScopedInstanceMixin, DeleteView):
    def post(self, request, *args, **kwargs):
        from django.db.models import ProtectedError

        try:
            with transaction.atomic():
                audit.record(request, AuditAction.DELETE, self.instance)
                self.delete_instance()
        except ProtectedError:
            messages.error(request, f"This {self.verbose_name} is still used by other records, so it was not deleted.")
            return redirect(self.index_url)
        messages.success(request, f"The {self.verbose_name} was deleted.")
        return redirect(self.index_url)
