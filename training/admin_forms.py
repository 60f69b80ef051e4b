"""The training module's edit form: on each publication after the first, the publisher says whether the
change is material (everyone completes it again) or minor (completions stand), as for policies."""

from trust.page_forms import MaterialChangeForm


class TrainingModulePageForm(MaterialChangeForm):
    material_choices = [
        ("True", "Material change: a new version number, and everyone in the audience must complete it again"),
        ("False", "Minor change: the same version number, and completions stand"),
    ]
    minor_name = "minor change"
