"""The designated teacher's delegation form (Casework › Delegations in the admin).

Only the DT's own current children and their schools' current staff are offered; the rules that refuse a
delegation (an end date in the past or over a year ahead, the DT themselves, someone not on the child's
school's staff) are in permissions.delegation_problems, run by the model's clean. Withdrawing is an edit:
give a reason. A withdrawn delegation is kept as it was.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from trust.access import own_school_ids
from trust.enums import Role

from .enums import DelegatedSection
from .forms import ScopedAdminForm
from .models import Child


def current_children(school_ids):
    today = timezone.localdate()
    return Child.objects.filter(school_id__in=school_ids).filter(Q(left_on__isnull=True) | Q(left_on__gt=today))


def current_staff(school_ids, exclude=None):
    people = get_user_model().objects.filter(
        is_active=True,
        memberships__school_id__in=school_ids,
        memberships__role=Role.STAFF,
        memberships__ended_on__isnull=True,
    )
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return people.distinct().order_by("last_name", "first_name")


class DelegationForm(ScopedAdminForm):
    sections = forms.MultipleChoiceField(
        choices=DelegatedSection.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Sections the delegate may enter",
        error_messages={"required": "Choose at least one section the delegate may enter."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = own_school_ids(self.for_user) if self.for_user else set()
        if "child" in self.fields:
            self.fields["child"].queryset = current_children(ids)
        if "delegate" in self.fields:
            self.fields["delegate"].queryset = current_staff(ids, exclude=self.for_user)
            self.fields["delegate"].label_from_instance = lambda u: f"{u.get_full_name() or u.email} ({u.email})"
        if self.instance.pk:  # who and for whom are fixed once granted (still shown if the child or delegate left)
            fixed = {
                "child": Child.objects.filter(pk=self.instance.child_id),
                "delegate": get_user_model().objects.filter(pk=self.instance.delegate_id),
            }
            for name, queryset in fixed.items():
                if name in self.fields:
                    self.fields[name].queryset = queryset
                    self.fields[name].disabled = True
            if self.instance.withdrawn_at:
                for field in self.fields.values():
                    field.disabled = True
        else:
            self.fields.pop("withdrawal_reason", None)
            self.instance.granted_by = self.for_user

    def clean(self):
        cleaned = super().clean()
        if self.instance.withdrawn_at:
            raise ValidationError("This delegation has been withdrawn and cannot be changed: grant a new one instead.")
        return cleaned

    def save(self, commit=True):
        delegation = super().save(commit=False)
        reason = (self.cleaned_data.get("withdrawal_reason") or "").strip()
        if delegation.pk and reason and delegation.withdrawn_at is None:
            delegation.withdrawn_at, delegation.withdrawn_by = timezone.now(), self.for_user
        if commit:
            delegation.save()
        return delegation
