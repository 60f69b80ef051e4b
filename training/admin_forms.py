"""The training module's edit form: on each publication after the first, the publisher says whether the
change is material (everyone completes it again) or minor (completions stand), as for policies."""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

PUBLISHING_ACTIONS = ("action-publish", "action-submit")
MATERIAL_CHOICES = [
    ("True", "Material change: a new version number, and everyone in the audience must complete it again"),
    ("False", "Minor change: the same version number, and completions stand"),
]


class TrainingModulePageForm(WagtailAdminPageForm):
    change_is_material = forms.NullBooleanField(
        label="Is this a material change?",
        required=False,
        widget=forms.RadioSelect(choices=MATERIAL_CHOICES),
        help_text="Asked every time: not needed for the first publication.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
                self.add_error("change_is_material", "Say whether this is a material change or a minor change.")
            if not (cleaned.get("change_summary") or "").strip():
                self.add_error("change_summary", "Describe what changed, in a sentence or two.")
        return cleaned
