"""Admin forms that only ever offer the person's own schools' children and records."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from wagtail.admin.forms import WagtailAdminModelForm

from trust.access import own_school_ids
from trust.models import School

from .date_ranges import PlausibleDatesMixin
from .documents import check_upload
from .enums import DocumentCategory
from .models import PEP, CaseDocument, Child, Target
from .models.scoped import case_path, in_schools, via_child


def _records_in(model):
    """A chooser of `model`'s records in these schools, labelled with the child's name (each model's
    __str__), so the queryset joins the child along the model's declared case_path."""
    return lambda ids: in_schools(model, ids).select_related(case_path(model))


_SCOPED = {
    "child": lambda ids: in_schools(Child, ids),
    "pep": _records_in(PEP),
    "target": _records_in(Target),
    "document": _records_in(CaseDocument),
    "report_document": _records_in(CaseDocument),
    "documents": _records_in(CaseDocument),
    "school": lambda ids: School.objects.filter(pk__in=ids),
    "report_sent_by": lambda ids: _people_at(ids),
    "shared_with": lambda ids: _people_at(ids),
}


def _people_at(ids):
    """People who currently work at one of these schools."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__school_id__in=ids, memberships__ended_on__isnull=True)
        .distinct()
        .order_by("last_name", "first_name")
    )


# Choosers of the child's other records: once the form is bound to a child, only that child's are offered.
_OF_CHILD = {
    "pep": (via_child(PEP, "id"), "PEPs"),
    "target": (via_child(Target, "id"), "targets"),
    "document": (via_child(CaseDocument, "id"), "documents"),
    "report_document": (via_child(CaseDocument, "id"), "documents"),
    "documents": (via_child(CaseDocument, "id"), "documents"),
}
WRONG_CHILD = "This record belongs to {name}: it cannot be attached to another child's {what}."
NOT_THIS_CHILDS = "Choose one of {name}'s {what}: this record belongs to {name}, not to another child."


class FixedChoice(forms.Widget):
    """The child (or PEP) a record is bound to, shown as text: the form never asks which. The field is disabled,
    so a posted value is never used (and `ScopedAdminForm.clean` refuses one that differs)."""

    def __init__(self, shown: str):
        super().__init__()
        self.shown = shown

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<p class="fixed-choice" data-fixed="{}">{}</p>', name, self.shown)

    def id_for_label(self, id_):
        return ""  # nothing to label: the value is text, not a control


class ScopedAdminForm(PlausibleDatesMixin, WagtailAdminModelForm):
    """Every chooser lists only records in the person's own schools (the queryset also validates), and every date
    must be one a person could mean (date_ranges.py: a date of birth within the last 25 years, say).

    A record bound to a child (an existing one, or a new one started from the child's page with `?child=` or
    `?pep=`, casework/admin_views.py) stays with that child: its child (and a new record's preset PEP) is shown
    fixed and any other posted value is refused; every other chooser offers only that child's records, and
    another child's id is refused with a message naming the child."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = own_school_ids(self.for_user) if self.for_user else set()
        for name, queryset in _SCOPED.items():
            if name in self.fields and hasattr(self.fields[name], "queryset"):
                self.fields[name].queryset = queryset(ids)
        self.fixed_fields = []
        if "child" in self.fields and getattr(self.instance, "child_id", None):
            self.fixed_fields.append("child")
        if "pep" in self.fields and getattr(self.instance, "pep_id", None) and not self.instance.pk:
            self.fixed_fields.append("pep")  # a new record started from a PEP; an existing one may move PEP
        for name in self.fixed_fields:
            field = self.fields[name]
            field.queryset = field.queryset.filter(pk=getattr(self.instance, f"{name}_id"))
            field.disabled = True
            field.widget = FixedChoice(str(getattr(self.instance, name)))
            field.help_text = "Fixed: the record stays with this child."
        self.bound_child = self._bound_child()
        if self.bound_child is not None:
            for name, (path, what) in _OF_CHILD.items():
                field = self.fields.get(name)
                if field is None or name in self.fixed_fields or not hasattr(field, "queryset"):
                    continue
                field.queryset = field.queryset.filter(**{path: self.bound_child.pk})
                message = NOT_THIS_CHILDS.format(name=self.bound_child.display_name, what=what)
                field.error_messages = {**field.error_messages, "invalid_choice": message, "invalid_pk_value": message}

    def _bound_child(self):
        if getattr(self.instance, "child_id", None) and "child" in self.fields:
            return self.instance.child
        if getattr(self.instance, "pep_id", None) and "pep" in self.fields:
            return self.instance.pep.child
        return None

    def clean(self):
        cleaned = super().clean()
        for name in self.fixed_fields:
            posted = self.data.get(self.add_prefix(name))
            if posted not in (None, "") and str(posted) != str(getattr(self.instance, f"{name}_id")):
                what = "record" if name == "child" else "PEP"
                self.add_error(name, WRONG_CHILD.format(name=self.bound_child.display_name, what=what))
        return cleaned

    def save(self, commit=True):
        self.instance._changed_by = self.for_user  # recorded in a child's cohort history
        return super().save(commit=commit)


class RecordedByForm(ScopedAdminForm):
    """Keeps who recorded a new record (a suspension, a PP+ request)."""

    def save(self, commit=True):
        if not self.instance.pk and self.for_user:
            self.instance.recorded_by = self.for_user
        return super().save(commit=commit)


class CaseDocumentForm(ScopedAdminForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "file" in self.fields:
            del self.fields["file"]  # a document's content never changes: upload a new one

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and not self.instance.pk:
            self.checked_type = check_upload(upload)
        return upload

    def save(self, commit=True):
        document = super().save(commit=False)
        if not document.pk:
            upload = self.cleaned_data["file"]
            document.content_type, document.extension = self.checked_type
            document.size = upload.size
            document.original_name = (getattr(upload, "name", "") or "")[:200]
            document.uploaded_by = self.for_user
        if commit:
            document.save()
            self.save_m2m()
        return document


class TransitionForm(ScopedAdminForm):
    def clean(self):
        cleaned = super().clean()
        child, documents = cleaned.get("child"), cleaned.get("documents")
        if child and documents and any(d.child_id != child.pk for d in documents):
            raise ValidationError({"documents": "Choose only this child's documents."})
        carries_cp = documents and any(d.category == DocumentCategory.CHILD_PROTECTION for d in documents)
        if carries_cp and not self.instance.is_child_protection:
            raise ValidationError(
                {
                    "documents": "Child protection documents are sent separately: save this transfer without "
                    "them, then choose \u201cSend the child protection file separately\u201d on its page."
                }
            )
        return cleaned


class SharedRecommendationForm(ScopedAdminForm):
    def clean(self):
        cleaned = super().clean()
        pep, person = cleaned.get("pep"), cleaned.get("shared_with")
        if pep and person:
            from trust.models import Membership

            if not Membership.objects.current().filter(user=person, school_id=pep.child.school_id).exists():
                raise ValidationError({"shared_with": "Choose someone who works at the child's school."})
        return cleaned

    def save(self, commit=True):
        share = super().save(commit=False)
        if not share.pk:
            share.shared_by = self.for_user
        if commit:
            share.save()
        return share
