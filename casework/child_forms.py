"""The child's admin form: a change of legal name or UPN needs a reason and the day it took effect.

Child.save keeps the former values as an IdentityChange (models/identity.py); this form supplies why
and when, and refuses the change with a plain message when the reason is missing.
"""

from django import forms
from django.utils import timezone

from .enums import IdentityChangeReason
from .forms import ScopedAdminForm
from .models.children import IDENTITY_FIELDS
from .upn import normalise_upn

REASON_NEEDED = "Say why the legal name or UPN changed (for example adoption, or correcting a mistake)."
DATE_NEEDED = "Enter the day the change took effect, for example the date of the adoption order."
DATE_IN_FUTURE = "The day the change took effect cannot be in the future."


class ChildForm(ScopedAdminForm):
    identity_change_reason = forms.ChoiceField(
        label="Why the legal name or UPN changed",
        choices=[("", "The legal name and UPN are unchanged")] + list(IdentityChangeReason.choices),
        required=False,
        help_text="Needed only when you change the legal name or the UPN: the former ones are kept in the record.",
    )
    identity_change_effective_on = forms.DateField(
        label="The day the change took effect",
        required=False,
        help_text="For example the date of the adoption or special guardianship order.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:  # a new record has no former identity
            del self.fields["identity_change_reason"]
            del self.fields["identity_change_effective_on"]
        else:
            self.fields["identity_change_effective_on"].initial = timezone.localdate()

    def _identity_changed(self, cleaned) -> bool:
        """Compared before the model's clean normalises the UPN (the instance still holds the saved values)."""
        if not self.instance.pk:
            return False
        submitted = {name: cleaned.get(name) or "" for name in IDENTITY_FIELDS}
        submitted["upn"] = normalise_upn(submitted["upn"])
        return any(submitted[name] != getattr(self.instance, name) for name in IDENTITY_FIELDS)

    def clean(self):
        cleaned = super().clean()
        self.identity_changed = self._identity_changed(cleaned)
        if not self.identity_changed:
            return cleaned
        if not cleaned.get("identity_change_reason"):
            self.add_error("identity_change_reason", REASON_NEEDED)
        effective_on = cleaned.get("identity_change_effective_on")
        if not effective_on and "identity_change_effective_on" not in self.errors:
            self.add_error("identity_change_effective_on", DATE_NEEDED)
        elif effective_on and effective_on > timezone.localdate():
            self.add_error("identity_change_effective_on", DATE_IN_FUTURE)
        return cleaned

    def save(self, commit=True):
        if self.identity_changed:
            self.instance._identity_change = {
                "reason": self.cleaned_data["identity_change_reason"],
                "effective_on": self.cleaned_data["identity_change_effective_on"],
            }
        return super().save(commit=commit)
