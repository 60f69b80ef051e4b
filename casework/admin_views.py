"""wagtail-modeladmin views for casework: scoped to the person's schools, audited, never in Site history.

Out of scope is a 404. Create, edit and delete skip wagtail's `log()` (which would put a child's name
in the CMS-wide Site history) and write a CaseAuditEvent instead.
"""

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from wagtail_modeladmin.views import CreateView, DeleteView, EditView, IndexView, InspectView, ModelFormView

from trust.storage_faults import STORAGE_ERRORS

from . import audit
from .admin_lists import declared_filter_parameters, unusable_query
from .child_plan import child_page_url
from .enums import AuditAction
from .models.peps import LOCKED_MESSAGE

STORAGE_FAILED = (
    "The document could not be stored: the file store did not answer. Nothing has been saved. "
    "Try again in a few minutes, and tell the trust's IT support if it keeps happening."
)


def preset_from_query(model, query, user) -> dict:
    """The child or PEP a new record is bound to, from `?child=` / `?pep=`: only in the person's own schools."""
    from .models import PEP, Child

    preset = {}
    for name, related in (("child", Child), ("pep", PEP)):
        raw = query.get(name)
        if raw is None:
            continue
        field_names = {f.name for f in model._meta.get_fields()}
        # ASCII digits of a size an id can have: "²" or 5,000 nines would reach int() or the database as a 500.
        if name not in field_names or not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
            raise Http404
        found = related.objects.for_user(user).filter(pk=int(raw))
        if related is PEP:
            found = found.select_related("child")
        value = found.first()
        if value is None:
            raise Http404
        preset[name] = value
    if len(preset) > 1:
        raise Http404  # one binding at a time: a PEP already names its child
    return preset


def return_to(request) -> str | None:
    """`?next=`, when it is a child's page on this site (the only place an edit is started from and returns to)."""
    candidate = request.GET.get("next", "")
    child_pages = reverse("casework:home") + "children/"
    if (
        len(candidate) <= 200
        and candidate.isascii()
        and candidate.isprintable()
        and candidate.startswith(child_pages)
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()})
    ):
        return candidate
    return None


class ScopedInstanceMixin:
    def dispatch(self, request, *args, **kwargs):
        if not self.model_admin.get_queryset(request).filter(pk=self.instance.pk).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class RefuseLockedMixin:
    """A signed-off PEP, or a target of one, opens read-only with the reason, not the admin's generic refusal
    (the permission helper refuses it as well)."""

    def dispatch(self, request, *args, **kwargs):
        if getattr(self.instance, "is_locked", False):
            messages.error(request, LOCKED_MESSAGE)
            return redirect(self.url_helper.get_action_url("inspect", self.pk_quoted))
        return super().dispatch(request, *args, **kwargs)


class CaseworkIndexView(IndexView):
    """A list that applies only what its ModelAdmin declares: its list filters, its search fields and the
    ordering of its columns. modeladmin would turn any other parameter into an ORM filter, which can walk
    relations to a child's name or a session key; here every other parameter is dropped, unread."""

    def dispatch(self, request, *args, **kwargs):
        if request.GET.get(self.EXPORT_VAR):
            raise PermissionDenied  # exports go through their own audited views
        problem = unusable_query(request.GET) if self.permission_helper.user_can_list(request.user) else None
        if problem:
            return self._bad_query(request, problem)
        try:
            response = super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            return self._bad_query(request, "One of the list's filters has a value it cannot use.")
        if request.user.is_authenticated and response.status_code == 200:
            audit.record(request, AuditAction.LIST, detail=f"list of {self.opts.model_name}")
        return response

    @property
    def added_from_child_page(self) -> bool:
        """A record of a child's (or of a PEP's) is added from that child's page, bound to the child: its list
        says so instead of offering an Add button whose form would ask which child."""
        forward = {f.name for f in self.model._meta.fields}
        return self.opts.model_name != "child" and bool(forward & {"child", "pep"})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.added_from_child_page:
            context["user_can_create"] = False  # also drops the empty list's "Why not add one?"
        return context

    def get_filters_params(self, params=None):
        declared = declared_filter_parameters(self.model, self.list_filter)
        return {key: value for key, value in super().get_filters_params(params).items() if key in declared}

    def _bad_query(self, request, problem):
        context = {"problem": problem, "index_url": self.index_url, "view": self}
        return TemplateResponse(request, "casework/admin/bad_query.html", context, status=400)


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
            return self.render_to_response(self.get_context_data(form=form), status=503)
        return response


class CaseworkCreateView(_SaveWithoutSiteHistory, CreateView):
    """Started from a child's page, `?child=<id>` or `?pep=<id>` binds the new record to that child (or PEP):
    the form shows it fixed and refuses any other (forms.ScopedAdminForm). A preset outside the person's
    schools, or one the model does not have, is a 404."""

    audit_action = AuditAction.CREATE

    def dispatch(self, request, *args, **kwargs):
        self.preset = preset_from_query(self.model, request.GET, request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self):
        instance = super().get_instance()
        for name, value in self.preset.items():
            setattr(instance, name, value)
        return instance

    @property
    def create_url(self):
        url = super().create_url
        query = urlencode({name: value.pk for name, value in self.preset.items()})
        return f"{url}?{query}" if query else url

    def get_success_url(self):
        """Back to the child's page the record was started from: a new PEP, or a record of a PEP, opens that
        PEP's plan there, where the next part is added."""
        if self.preset:
            bound = next(iter(self.preset.values()))
            child_id = bound.pk if "child" in self.preset else bound.child_id
            pep_id = self.instance.pk if self.opts.model_name == "pep" else getattr(self.instance, "pep_id", None)
            return child_page_url(child_id, pep_id)
        return super().get_success_url()


class CaseworkEditView(ScopedInstanceMixin, RefuseLockedMixin, _SaveWithoutSiteHistory, EditView):
    """An edit started from the child's page (`?next=` that page) returns there once saved."""

    def get(self, request, *args, **kwargs):
        audit.record(request, AuditAction.READ, self.instance)
        return super().get(request, *args, **kwargs)

    @property
    def edit_url(self):
        url, back = super().edit_url, return_to(self.request)
        return f"{url}?{urlencode({'next': back})}" if back else url

    def get_success_url(self):
        return return_to(self.request) or super().get_success_url()


class CaseworkDeleteView(ScopedInstanceMixin, RefuseLockedMixin, DeleteView):
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
