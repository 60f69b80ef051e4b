from django import forms

from .completion import CompletionResult


class CompletionForm(forms.Form):
    """ "I have completed this training", plus one radio group per comprehension question."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="I have read and understood this training",
        error_messages={"required": "Confirm that you have read and understood this training."},
    )

    def __init__(self, page, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["revision"].initial = page.live_revision_id
        self.question_fields = []
        for number, (block_id, question, options, _correct) in enumerate(page.questions(), start=1):
            name = f"q-{block_id}"
            self.fields[name] = forms.ChoiceField(
                label=f"{number}. {question}",
                choices=[(str(i), text) for i, text in enumerate(options)],
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer question {number}."},
            )
            self.question_fields.append(name)
        self.order_fields(["revision", *self.question_fields, "confirm"])

    def answers(self) -> dict[str, int]:
        return {name.removeprefix("q-"): int(self.cleaned_data[name]) for name in self.question_fields}

    def add_result_errors(self, result: CompletionResult):
        for message in result.errors:
            self.add_error(None, message)
        for block_id in result.wrong_ids:
            self.add_error(f"q-{block_id}", "This answer is not right. Read the training again and choose another.")

    def bound_questions(self):
        return [self[name] for name in self.question_fields]
