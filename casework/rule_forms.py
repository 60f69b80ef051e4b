"""The deadline rule form: each person is offered only the places whose rules they keep.

A designated teacher sets rules for their own schools; the executive head and the trust administrator
set the trust-wide rule (no school, no local authority) and each local authority's. A rule's place
is fixed once saved (add a new rule instead), so an edit changes only the count and the unit. A field
that is not offered but arrives in a forged POST is refused with a plain message, never ignored.
"""

from django.core.exceptions import ValidationError

from trust.access import own_school_ids

from .forms import ScopedAdminForm
from .permissions import keeps_trust_rules

TRUST_ONLY = (
    "Only the executive head or the trust administrator can set a rule for the whole trust or for a local "
    "authority. Choose your school."
)
SCHOOLS_ARE_THEIR_DTS = "A school's own rules are set by its designated teacher."
PLACE_IS_FIXED = "A rule's school or local authority cannot be changed: add a new rule and delete this one."


class DeadlineRuleForm(ScopedAdminForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keeps_trust_rules = keeps_trust_rules(self.for_user)
        self.withheld = {}
        if self.instance.pk:
            self._withhold("school", PLACE_IS_FIXED)
            self._withhold("local_authority", PLACE_IS_FIXED)
            where = self.instance.local_authority or self.instance.school or "the whole trust"
            self.fields["kind"].help_text = f"This rule is for {where}."
            return
        if not self.keeps_trust_rules:
            self._withhold("local_authority", TRUST_ONLY)
        if not own_school_ids(self.for_user):
            self._withhold("school", SCHOOLS_ARE_THEIR_DTS)
        if "school" in self.fields:
            self.fields["school"].required = False
            if self.keeps_trust_rules:
                self.fields["school"].help_text = "Leave empty for a trust-wide or local authority rule."
        if "local_authority" in self.fields:
            self.fields["local_authority"].help_text = (
                "For one responsible local authority's rule (it beats the school's and the trust's). "
                "Leave empty, with no school, for the trust-wide rule."
            )

    def _withhold(self, name, message):
        if name in self.fields:
            del self.fields[name]
        self.withheld[name] = message

    def clean(self):
        cleaned = super().clean()
        for name, message in self.withheld.items():
            if self.data.get(self.add_prefix(name)):
                raise ValidationError(message)
        if not self.instance.pk and not cleaned.get("school") and not self.keeps_trust_rules:
            self.add_error("school", TRUST_ONLY)
        return cleaned
