"""Local Authority training records: list, add, edit, certificate download (permission-checked)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.log_actions import log

from .la_flags import designated_teacher_training
from .la_forms import LocalAuthorityTrainingForm
from .models import LocalAuthorityTraining, TrainingSettings
from .permissions import (
    can_keep_la_training,
    can_read_la_record,
    can_use_la_training,
    la_records_for,
    la_schools_kept_by,
    la_schools_read_by,
)


def _require_reader(request):
    if not can_use_la_training(request.user):
        raise PermissionDenied


@require_GET
def record_list(request):
    _require_reader(request)
    settings = TrainingSettings.current(request)
    return TemplateResponse(
        request,
        "training/la/list.html",
        {
            "records": la_records_for(request.user),
            "designated_teachers": designated_teacher_training(
                la_schools_read_by(request.user), months=settings.la_training_refresh_months
            ),
            "refresh_months": settings.la_training_refresh_months,
            "can_keep": can_keep_la_training(request.user),
        },
    )


def _save(request, form, record):
    data = form.cleaned_data
    record.school = data["school"]
    record.attendee = data["attendee"]
    record.course = data["course"]
    record.provider = data["provider"]
    record.attended_on = data["attended_on"]
    replaced = None
    if data.get("certificate"):
        replaced = record.certificate.name or None
        record.certificate = data["certificate"]
        record.certificate_content_type = form.certificate_type
    adding = record.pk is None
    if adding:
        record.recorded_by = request.user
    record.save()
    if replaced:
        transaction.on_commit(lambda: default_storage.delete(replaced))
    log(instance=record, action="wagtail.create" if adding else "wagtail.edit", user=request.user)
    return record


def record_add(request):
    if not can_keep_la_training(request.user):
        raise PermissionDenied
    school_ids = la_schools_kept_by(request.user)
    form = LocalAuthorityTrainingForm(request.POST or None, request.FILES or None, school_ids=school_ids)
    if request.method == "POST" and form.is_valid():
        record = _save(request, form, LocalAuthorityTraining())
        messages.success(request, f"Recorded “{record.course}” for {record.attendee.get_full_name()}.")
        return redirect("training_la_list")
    return TemplateResponse(request, "training/la/form.html", {"form": form, "record": None})


def record_edit(request, pk):
    record = get_object_or_404(la_records_for(request.user), pk=pk)
    if not can_keep_la_training(request.user, record.school):
        raise PermissionDenied
    school_ids = la_schools_kept_by(request.user)
    initial = {
        "school": record.school,
        "attendee": record.attendee,
        "course": record.course,
        "provider": record.provider,
        "attended_on": record.attended_on,
    }
    form = LocalAuthorityTrainingForm(
        request.POST or None, request.FILES or None, school_ids=school_ids, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        _save(request, form, record)
        messages.success(request, f"Updated “{record.course}”.")
        return redirect("training_la_list")
    return TemplateResponse(request, "training/la/form.html", {"form": form, "record": record})


@require_GET
def certificate(request, pk):
    """The certificate file, only to people who may read the record; never through a public media URL."""
    record = LocalAuthorityTraining.objects.filter(pk=pk).select_related("school").first()
    if record is None or not can_read_la_record(request.user, record) or not record.certificate:
        raise Http404
    try:
        handle = default_storage.open(record.certificate.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    log(instance=record, action="training.certificate_download", user=request.user)
    extension = record.certificate.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=record.certificate_content_type or "application/octet-stream",
        as_attachment=True,
        filename=f"la-training-certificate-{record.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
