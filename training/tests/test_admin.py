import pytest

from conftest import sign_in

pytestmark = pytest.mark.django_db


def test_executive_head_can_open_the_editor_for_a_new_training_module(client, personas, training_index):
    sign_in(client, personas.head)
    response = client.get(f"/admin/pages/add/training/trainingmodulepage/{training_index.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Comprehension check" in html and "Estimated minutes" in html


def test_executive_head_can_edit_a_module_and_change_the_training_settings(client, personas, make_module):
    module = make_module("Fire safety")
    sign_in(client, personas.head)
    assert client.get(f"/admin/pages/{module.pk}/edit/").status_code == 200
    settings_page = client.get("/admin/settings/training/trainingsettings/", follow=True)
    assert settings_page.status_code == 200
    assert "Local Authority training refresh" in settings_page.content.decode()


def test_a_question_whose_right_answer_is_not_one_of_its_options_is_refused():
    from django.core.exceptions import ValidationError

    from training.models.pages import QuestionBlock

    block = QuestionBlock()
    value = block.to_python({"question": "Q?", "options": ["A", "B"], "correct_option": 3})
    with pytest.raises(ValidationError):
        block.clean(value)


def test_a_module_cannot_take_a_slug_the_portal_uses_for_its_own_screens(make_module):
    from django.core.exceptions import ValidationError

    module = make_module("Fire safety")
    module.slug = "receipts"
    with pytest.raises(ValidationError):
        module.full_clean()
