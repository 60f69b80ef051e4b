import pytest
from wagtail.models import Revision

from conftest import sign_in
from policy.models import PolicyVersion, ReadReceipt
from policy.rendering import plain_text, revision_body_html, word_diff
from policy.tests.factories import DEFAULT_BODY, make_policy, publish_change
from policy.versions import current_version

pytestmark = pytest.mark.django_db

CHANGED_BODY = [
    {"type": "heading", "value": "Aim"},
    {"type": "paragraph", "value": "<p>Our aim is to promote happy, independent children.</p>"},
]


def test_first_publication_is_version_one(policy):
    version = current_version(policy)
    assert (version.number, version.is_material, version.revision_id) == (1, True, policy.live_revision_id)


def test_material_change_starts_a_new_version_number(policy, personas):
    page, revision = publish_change(policy, material=True, summary="New aim.", body=CHANGED_BODY, user=personas.head)
    version = current_version(page)
    assert (version.number, version.is_material, version.change_summary) == (2, True, "New aim.")
    assert version.revision == revision
    assert version.published_by == personas.head


def test_minor_correction_keeps_the_version_number_and_receipts_stand(policy, personas):
    from policy.acknowledgements import create_receipt
    from policy.audience import status_for

    v1 = current_version(policy)
    create_receipt(personas.staff, policy, v1, v1.revision_id)
    page, _ = publish_change(policy, material=False, summary="Typo.", body=CHANGED_BODY)
    version = current_version(page)
    assert (version.number, version.is_material) == (1, False)
    assert not status_for(personas.staff, page).outstanding


def test_material_change_asks_everyone_to_acknowledge_again(policy, personas):
    from policy.acknowledgements import create_receipt
    from policy.audience import status_for

    v1 = current_version(policy)
    create_receipt(personas.staff, policy, v1, v1.revision_id)
    page, _ = publish_change(policy, material=True, body=CHANGED_BODY)
    status = status_for(personas.staff, page)
    assert status.outstanding and status.version_number == 2
    assert status.last_receipt.version_number == 1


def test_saving_a_draft_records_no_version(policy):
    page = type(policy).objects.get(pk=policy.pk)
    page.body = CHANGED_BODY
    page.save_revision()
    assert PolicyVersion.objects.filter(page_id=policy.pk).count() == 1


def test_an_earlier_version_opens_exactly_as_published(client, policy, personas):
    first_revision = policy.live_revision_id
    page, _ = publish_change(policy, material=True, body=CHANGED_BODY)
    sign_in(client, personas.staff)
    response = client.get(f"{page.url}versions/{first_revision}/")
    assert response.status_code == 200
    assert "aspirational" in response.content.decode()
    assert "This is not the current version" in response.content.decode()
    assert "happy, independent" not in response.content.decode()


def test_a_draft_revision_is_not_found_even_for_the_audience(client, policy, personas):
    page = type(policy).objects.get(pk=policy.pk)
    page.body = CHANGED_BODY
    draft = page.save_revision()
    sign_in(client, personas.staff)
    assert client.get(f"{policy.url}versions/{draft.pk}/").status_code == 404
    assert client.get(f"{policy.url}versions/999999/").status_code == 404
    assert client.get(f"{policy.url}changes/?from={draft.pk}").status_code == 404


def test_version_history_lists_each_publication_newest_first(client, policy, personas):
    publish_change(policy, material=False, summary="Typo fixed.")
    publish_change(policy, material=True, summary="New aim.", body=CHANGED_BODY)
    sign_in(client, personas.staff)
    html = client.get(policy.url + "versions/").content.decode()
    assert html.index("New aim.") < html.index("Typo fixed.") < html.index("First version.")
    assert "Minor correction" in html and "Material change" in html


def test_changes_since_the_acknowledged_version_are_marked_word_by_word(client, policy, personas):
    from policy.acknowledgements import create_receipt

    v1 = current_version(policy)
    create_receipt(personas.staff, policy, v1, v1.revision_id)
    page, _ = publish_change(policy, material=True, body=CHANGED_BODY)
    sign_in(client, personas.staff)
    html = client.get(page.url + "changes/").content.decode()
    assert "<p>Aim</p>" not in html  # unchanged paragraphs are left out unless asked for
    assert "<p>Aim</p>" in client.get(page.url + "changes/?all=1").content.decode()
    assert '<del><span class="visually-hidden">deleted: </span>aspirational,</del>' in html
    assert '<ins><span class="visually-hidden">inserted: </span>happy,</ins>' in html


def test_word_diff_escapes_text_and_labels_changes_without_colour():
    diff = word_diff("a <b> c\nsame", "a <b> d e\nsame")
    html = diff.html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert (diff.inserted, diff.deleted) == (2, 1)
    assert len(diff.changed) == 1 and "same" not in diff.changed[0]
    assert 'visually-hidden">inserted: ' in html and 'visually-hidden">deleted: ' in html


def test_the_rendered_body_of_a_revision_is_cached(policy, django_assert_num_queries):
    revision_body_html(policy.live_revision_id)
    with django_assert_num_queries(0):
        html = revision_body_html(policy.live_revision_id)
    assert "Our aim" in html
    assert "Staff are aware." in plain_text(html)


def test_a_revision_with_receipts_cannot_be_deleted(policy, personas):
    from django.db.models import ProtectedError

    from policy.acknowledgements import create_receipt

    v1 = current_version(policy)
    create_receipt(personas.staff, policy, v1, v1.revision_id)
    with pytest.raises(ProtectedError):
        Revision.objects.get(pk=v1.revision_id).delete()
    assert ReadReceipt.objects.count() == 1


def test_policies_share_one_rule_for_versions_with_guidance(personas):
    from policy.tests.factories import make_guidance

    guidance = make_guidance(acknowledgement_required=True)
    guidance, _ = publish_change(guidance, material=True, body=DEFAULT_BODY)
    assert current_version(guidance).number == 2
    assert make_policy("Another").live


def test_a_question_whose_wrong_answer_repeats_the_right_one_is_refused_for_the_editor():
    from wagtail.blocks.struct_block import StructBlockValidationError

    from policy.blocks import QuestionBlock

    block = QuestionBlock()
    value = block.to_python(
        {"question": "Q?", "correct_answer": "Twenty days", "other_answers": ["twenty days ", "Five"], "hint": ""}
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "must not repeat the right answer" in str(error.value.block_errors["other_answers"])


def test_each_row_of_the_version_history_says_what_that_publication_was(client, policy, personas):
    import re

    import time_machine

    with time_machine.travel("2030-03-04 10:00:00Z"):
        publish_change(policy, material=False, summary="Typo fixed.")
    with time_machine.travel("2030-03-05 10:00:00Z"):
        publish_change(policy, material=True, summary="New aim.", body=CHANGED_BODY)
    sign_in(client, personas.staff)
    html = client.get(policy.url + "versions/").content.decode()
    labels = re.findall(r'versions/\d+/">([^<]+)<span', html)
    assert labels == ["Version 2", "Version 1 (corrected 4 March 2030)", "Version 1"]
