"""Forms: the page edit form (audience, the material-change question) and the acknowledgement forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from trust.enums import Role
from trust.page_forms import MaterialChangeForm

from .blocks import shuffled_options


class AcknowledgeablePageForm(MaterialChangeForm):
    material_choices = [
        ("True", "Material change: a new version number, and everyone in the audience must acknowledge it again"),
        ("False", "Minor correction: the same version number, and acknowledgements stand"),
    ]
    minor_name = "minor correction"

    audience_roles = forms.MultipleChoiceField(
        label="Audience",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The roles that must read it.",
        error_messages={"required": "Choose at least one role this is for."},
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("applies_to_all_schools") and not cleaned.get("schools"):
            self.add_error("schools", "Choose the schools it applies to, or tick 'Applies to all schools'.")
        if cleaned.get("review_basis") == "regulations" and not cleaned.get("next_review"):
            self.add_error("next_review", "Give the date by which to re-check the regulations.")
        return cleaned


def question_field_name(index: int) -> str:
    return f"question_{index}"


class AcknowledgementForm(forms.Form):
    """The statement, and the version's comprehension check when it has one."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    statement = forms.BooleanField(
        error_messages={"required": "Tick the box to confirm you have read and understood this version."}
    )

    def __init__(self, *args, page, version_number, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["statement"].label = f"I have read and understood version {version_number} of “{page.title}”"
        self.questions = list(page.comprehension_check or [])
        for index, block in enumerate(self.questions, start=1):
            options = shuffled_options(block.id, block.value)
            self.fields[question_field_name(index)] = forms.ChoiceField(
                label=f"Question {index}: {block.value['question']}",
                choices=[(option, option) for option in options],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose an answer to question {index}.",
                    "invalid_choice": f"Choose one of the answers to question {index}.",
                },
            )

    def question_fields(self):
        return [self[question_field_name(i)] for i in range(1, len(self.questions) + 1)]

    def answers(self) -> list[dict]:
        return [
            {
                "question": block.value["question"],
                "answer": self.cleaned_data.get(question_field_name(i), ""),
                "correct": self.cleaned_data.get(question_field_name(i)) == block.value["correct_answer"],
            }
            for i, block in enumerate(self.questions, start=1)
        ]

    def mark(self) -> list[int]:
        """Numbers of the questions answered wrongly; each gets an error next to it."""
        wrong = []
        for i, block in enumerate(self.questions, start=1):
            if self.cleaned_data.get(question_field_name(i)) != block.value["correct_answer"]:
                wrong.append(i)
                hint = block.value.get("hint")
                message = "That is not the right answer. Read the policy again and choose another."
                if hint:
                    message += f" Look at: {hint}."
                self.add_error(question_field_name(i), message)
        return wrong


class PaperAcknowledgementForm(forms.Form):
    """A trust administrator records an acknowledgement someone signed on paper."""

    email = forms.EmailField(
        label="The person's email address",
        error_messages={"required": "Enter the email address of the person who signed."},
    )
    page = forms.ChoiceField(label="Policy or guidance", error_messages={"required": "Choose what they signed for."})
    signed_on = forms.DateField(
        label="Date they signed",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date on the paper.", "invalid": "Enter a real date, e.g. 27/03/2026."},
    )
    reason = forms.CharField(
        label="Why it was signed on paper",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Say why this acknowledgement was made on paper."},
    )
    seen_paper = forms.BooleanField(
        label="I have seen the signed paper copy and will keep it as the school's records require",
        error_messages={"required": "Confirm you have seen the signed paper copy."},
    )

    def __init__(self, *args, pages, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages = {str(p.pk): p for p in pages}
        self.fields["page"].choices = [("", "Choose…")] + [(str(p.pk), p.title) for p in pages]

    def clean_email(self):
        email = self.cleaned_data["email"]
        person = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError("No current member of staff has that email address.")
        self.person = person
        return email

    def clean(self):
        cleaned = super().clean()
        page = self.pages.get(cleaned.get("page") or "")
        self.chosen_page = page
        person = getattr(self, "person", None)
        if page and person:
            from .audience import is_in_audience

            if not is_in_audience(person, page):
                self.add_error("email", f"{person.get_full_name() or person.email} is not in the audience of “{page.title}”.")
        signed_on = cleaned.get("signed_on")
        if signed_on:
            self._check_signed_within_version(page, signed_on)
        return cleaned

    def _check_signed_within_version(self, page, signed_on):
        """A paper copy of a version cannot be signed before that version was published, nor after today."""
        from .versions import material_versions_by_page

        today = timezone.localdate()
        version = material_versions_by_page([page.pk]).get(page.pk) if page else None
        if version is None or version.published_at is None:
            if signed_on > today:
                self.add_error("signed_on", f"The date signed cannot be in the future: enter today, {today:%-d %B %Y}, or earlier.")
            return
        earliest = timezone.localdate(version.published_at)
        if not earliest <= signed_on <= today:
            self.add_error(
                "signed_on",
                f"Enter a date from {earliest:%-d %B %Y} (when version {version.number} of “{page.title}” was "
                f"published) to today, {today:%-d %B %Y}.",
            )
