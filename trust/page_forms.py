"""The edit form of every versioned page (policies, guidance, training): on each publication after the
first, the publisher says whether the change is material (a new version everyone must act on again) or
minor (the same version, and what people have done stands), and what changed."""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

PUBLISHING_ACTIONS = ("action-publish", "action-submit")


class MaterialChangeForm(WagtailAdminPageForm):
    # Each page type words the two answers for what its audience does: acknowledge, complete.
    material_choices = [("True", "Material change"), ("False", "Minor change")]
    minor_name = "minor change"

    change_is_material = forms.NullBooleanField(
        label="Is this a material change?",
        required=False,
        widget=forms.RadioSelect,
        help_text="Asked every time: not needed for the first publication.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_is_material"].widget.choices = self.material_choices
        # Each publication answers afresh: never carry over the last change's answers.
        self.initial["change_is_material"] = None
        self.initial["change_summary"] = ""

    def _is_publishing(self) -> bool:
        return any(action in self.data for action in PUBLISHING_ACTIONS)

    def clean(self):
        cleaned = super().clean()
        already_published = bool(self.instance.pk and self.instance.live_revision_id)
        if self._is_publishing() and already_published:
            if cleaned.get("change_is_material") is None:
                self.add_error("change_is_material", f"Say whether this is a material change or a {self.minor_name}.")
            if not (cleaned.get("change_summary") or "").strip():
                self.add_error("change_summary", "Describe what changed, in a sentence or two.")
        return cleaned
