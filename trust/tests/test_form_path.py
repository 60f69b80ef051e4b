"""Page models name their admin form by dotted path (trust/form_path.py): the editor's form is still built on it."""

import pytest
from wagtail.admin.checks import base_form_class_check

from policy.forms import AcknowledgeablePageForm
from policy.models import GuidancePage, PolicyPage
from training.admin_forms import TrainingModulePageForm
from training.models import TrainingModulePage
from trust.form_path import FormPath


@pytest.mark.parametrize(
    ("model", "form"),
    [(PolicyPage, AcknowledgeablePageForm), (GuidancePage, AcknowledgeablePageForm), (TrainingModulePage, TrainingModulePageForm)],
)
def test_the_page_editor_is_built_on_the_form_the_model_names(model, form):
    assert isinstance(_declared(model), FormPath)  # named by path, not imported by the models
    assert model.base_form_class is form
    assert issubclass(model.get_edit_handler().get_form_class(), form)


def test_wagtail_system_check_accepts_the_named_forms():
    assert base_form_class_check(None) == []


def test_a_wrong_path_fails_loudly_when_first_read_naming_the_path():
    class Broken:
        base_form_class = FormPath("policy.forms.NoSuchForm")

    with pytest.raises(ImportError, match="NoSuchForm"):
        Broken.base_form_class  # noqa: B018


def _declared(model):
    return next(vars(cls)["base_form_class"] for cls in model.__mro__ if "base_form_class" in vars(cls))
