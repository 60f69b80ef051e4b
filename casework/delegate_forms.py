"""The forms a delegate fills in (delegate_views.py). Each saves only its own section's fields; a target's
SMART checks and an activity's dates are the models' own `clean`, the same the admin's forms run; each date must be
one a person could mean (date_ranges.py), as in the admin."""

from django import forms

from .date_ranges import PlausibleDatesMixin
from .models import PEP, Activity, Target, TargetProgress

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
DATE_ERRORS = {"invalid": "Enter a real date, for example 14/01/2027."}


class ViewsForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = PEP
        fields = [
            "voice_going_well",
            "voice_worries",
            "voice_hopes",
            "voice_helps_me_learn",
            "childs_views",
            "carers_views",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


SESSION_ERRORS = {
    "invalid": "Enter a whole number of sessions, for example 120 (a school day is 2 sessions).",
    "min_value": "Sessions cannot be fewer than 0.",
}


class AttainmentForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = PEP
        fields = ["attainment", "sessions_possible", "sessions_attended"]
        widgets = {"attainment": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"sessions_possible": SESSION_ERRORS, "sessions_attended": SESSION_ERRORS}


class TargetForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = Target
        fields = ["area", "what", "how_measured", "baseline", "target", "by_when", "who"]
        widgets = {"by_when": DATE_INPUT, "what": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"by_when": DATE_ERRORS}


class ProgressForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = TargetProgress
        fields = ["target", "noted_on", "note"]
        widgets = {"noted_on": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 3})}
        labels = {"noted_on": "Date of the note"}
        error_messages = {
            "target": {
                "required": "Choose the target this note is about.",
                "invalid_choice": "Choose one of this PEP's targets.",
            },
            "noted_on": {**DATE_ERRORS, "required": "Enter the date of the note."},
            "note": {"required": "Write the progress note."},
        }

    def __init__(self, *args, pep=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = pep.targets.all() if pep else Target.objects.none()
        self.fields["target"].empty_label = "Choose a target"
        # The delegate sees the child's preferred name only: the target by its area, not its full label.
        self.fields["target"].label_from_instance = lambda target: f"Target: {target.area}"


class ActivityForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["activity", "provider", "starts_on", "ends_on", "attendance"]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}
        error_messages = {
            "activity": {"required": "Say what the activity is, for example: Saturday maths club."},
            "starts_on": {**DATE_ERRORS, "required": "Enter the date the activity starts."},
            "ends_on": DATE_ERRORS,
        }
