"""Every front-end form's radio and checkbox options are written by `option_input` (templates/includes/field.html):
exactly what Django's own widget templates write for `choice.tag`, escaping included."""

import pytest
from django import forms

from trust.templatetags.fields import option_input

AWKWARD = ['5 school days', 'He said "no" & <left>', "Children's services", ""]


class Form(forms.Form):
    answer = forms.ChoiceField(choices=[(v, v) for v in AWKWARD], widget=forms.RadioSelect, help_text="Choose one.")
    optional = forms.ChoiceField(choices=[(1, "One"), (2, "Two")], widget=forms.RadioSelect, required=False)
    several = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    closed = forms.ChoiceField(choices=[("x", "X")], widget=forms.RadioSelect, disabled=True)


@pytest.mark.parametrize(
    "data",
    [None, {"answer": 'He said "no" & <left>', "optional": "2", "several": ["a", "b"]}, {"answer": "not a choice"}],
    ids=["unbound", "answered", "refused"],
)
def test_each_option_is_written_as_djangos_widget_templates_write_it(data):
    form = Form(data)
    form.is_valid()
    for name in form.fields:
        for choice in form[name]:
            assert option_input(choice) == choice.tag()
