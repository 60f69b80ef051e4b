"""A page model names its admin form by dotted path, so that models import no forms (the forms import the
models, and a models module that imported them back would tie the two together at load time).

Wagtail reads `base_form_class` from the class (`Panel.get_form_class`, `Page.get_edit_handler` and the
`wagtailadmin.E001` system check), only once the apps are loaded: the form is imported on that first read.
"""

from functools import cached_property

from django.utils.module_loading import import_string


class FormPath:
    """`base_form_class = FormPath("policy.forms.AcknowledgeablePageForm")`: reads as the form class itself."""

    def __init__(self, dotted_path: str):
        self.dotted_path = dotted_path

    @cached_property
    def form_class(self):
        return import_string(self.dotted_path)

    def __get__(self, instance, owner=None):
        return self.form_class

    def __repr__(self):
        return f"FormPath({self.dotted_path!r})"
