import pytest
from django.db import IntegrityError, transaction

from conftest import sign_in
from training.completion import complete_module
from training.models import TrainingAttempt, TrainingCompletion
from trust.enums import Role
from trust.receipts import AppendOnlyError
from trust.shown_text import shown_text_sha256

pytestmark = pytest.mark.django_db


def answers_for(module, picks):
    return {f"q-{block_id}": str(pick) for (block_id, *_), pick in zip(module.questions(), picks, strict=True)}


def post_completion(client, module, confirm=True, picks=()):
    data = {"revision": module.live_revision_id, **answers_for(module, picks)}
    if confirm:
        data["confirm"] = "on"
    return client.post(module.url, data)


def test_staff_member_completes_a_module_without_a_check_by_confirming(client, personas, make_module):
    module = make_module("Fire safety")
    sign_in(client, personas.staff)
    assert client.get(module.url).status_code == 200
    response = post_completion(client, module)
    receipt = TrainingCompletion.objects.get(user=personas.staff, page=module)
    assert response.status_code == 302 and response.url == f"/training/receipts/{receipt.pk}/"
    assert receipt.revision_id == module.live_revision_id
    assert receipt.text_sha256 == shown_text_sha256(module.live_revision.as_object())
    assert receipt.roles_snapshot == [
        {"role": "staff", "school": "brook", "role_name": "Staff member", "school_name": "Brook Primary School"}
    ]
    assert TrainingAttempt.objects.get(user=personas.staff).succeeded


def test_completion_without_the_statement_is_refused(client, personas, make_module):
    module = make_module("Fire safety")
    sign_in(client, personas.staff)
    response = post_completion(client, module, confirm=False)
    assert response.status_code == 200
    assert "Confirm that you have read and understood" in response.content.decode()
    assert not TrainingCompletion.objects.exists()


def test_wrong_answers_are_refused_naming_the_questions_and_the_attempt_is_recorded(client, personas, checked_module):
    sign_in(client, personas.staff)
    response = post_completion(client, checked_module, picks=[1, 0])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Is care status shared with all staff?" in html
    assert "Some answers are not right" in html
    assert not TrainingCompletion.objects.exists()
    attempt = TrainingAttempt.objects.get()
    assert attempt.wrong_questions == ["Is care status shared with all staff?"]
    assert not attempt.succeeded


def test_right_answers_complete_the_module_and_are_kept_on_the_receipt(client, personas, checked_module):
    sign_in(client, personas.staff)
    post_completion(client, checked_module, picks=[0, 0])
    response = post_completion(client, checked_module, picks=[1, 1])
    assert response.status_code == 302
    receipt = TrainingCompletion.objects.get()
    assert [a["answer"] for a in receipt.answers] == ["The designated teacher", "No"]
    assert TrainingAttempt.objects.count() == 2


def test_a_double_submit_leaves_one_receipt(client, personas, make_module):
    module = make_module("Fire safety")
    sign_in(client, personas.staff)
    post_completion(client, module)
    post_completion(client, module)
    assert TrainingCompletion.objects.count() == 1


def test_the_database_refuses_a_second_receipt_for_the_same_person_and_module(personas, make_module):
    module = make_module("Fire safety")
    first = complete_module(personas.staff, module, revision_id=module.live_revision_id, answers={})
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingCompletion.objects.create(
            user=personas.staff, page=module, revision_id=first.receipt.revision_id, text_sha256="x"
        )


def test_receipts_cannot_be_changed_or_deleted(personas, make_module):
    module = make_module("Fire safety")
    receipt = complete_module(personas.staff, module, revision_id=module.live_revision_id, answers={}).receipt
    receipt.text_sha256 = "0" * 64
    with pytest.raises(AppendOnlyError):
        receipt.save()
    with pytest.raises(AppendOnlyError):
        receipt.delete()
    with pytest.raises(AppendOnlyError):
        TrainingCompletion.objects.filter(pk=receipt.pk).update(text_sha256="0")
    with pytest.raises(AppendOnlyError):
        TrainingCompletion.objects.all().delete()
    receipt.refresh_from_db()
    assert receipt.text_sha256 != "0" * 64


def test_the_revision_a_receipt_points_at_cannot_be_deleted(personas, make_module):
    from django.db.models import ProtectedError

    module = make_module("Fire safety")
    receipt = complete_module(personas.staff, module, revision_id=module.live_revision_id, answers={}).receipt
    with pytest.raises(ProtectedError):
        receipt.revision.delete()


def test_a_module_republished_since_it_was_opened_must_be_read_again(personas, make_module):
    module = make_module("Fire safety")
    opened = module.live_revision_id
    module.save_revision().publish()
    module.refresh_from_db()
    result = complete_module(personas.staff, module, revision_id=opened, answers={})
    assert not result.ok and "changed since you opened it" in result.errors[0]


def test_a_module_is_hidden_from_people_outside_its_audience(client, personas, make_module):
    module = make_module("Governor monitoring", roles=(Role.GOVERNOR,))
    sign_in(client, personas.staff)
    assert client.get(module.url).status_code == 404
    assert client.post(module.url, {"revision": module.live_revision_id, "confirm": "on"}).status_code == 404
    sign_in(client, personas.governor)
    assert client.get(module.url).status_code == 200


def test_the_training_page_lists_the_persons_modules_with_their_progress(client, personas, make_module):
    done = make_module("Fire safety")
    make_module("First aid")
    make_module("Governor monitoring", roles=(Role.GOVERNOR,))
    complete_module(personas.staff, done, revision_id=done.live_revision_id, answers={})
    sign_in(client, personas.staff)
    html = client.get("/training/").content.decode()
    assert "Fire safety" in html and "First aid" in html and "Governor monitoring" not in html
    assert "Completed" in html and "To do" in html


def test_a_draft_module_is_not_served(client, personas, make_module):
    draft = make_module("Draft module", publish=False)
    sign_in(client, personas.staff)
    assert client.get("/training/draft-module/").status_code == 404
    assert "Draft module" not in client.get("/training/").content.decode()
    assert draft.pk


def test_a_person_sees_their_own_receipts_and_not_anyone_elses(client, personas, make_module):
    module = make_module("Fire safety", roles=(Role.STAFF, Role.GOVERNOR))
    mine = complete_module(personas.staff, module, revision_id=module.live_revision_id, answers={}).receipt
    theirs = complete_module(personas.governor, module, revision_id=module.live_revision_id, answers={}).receipt
    sign_in(client, personas.staff)
    listing = client.get("/training/receipts/").content.decode()
    assert "Fire safety" in listing and f"/training/receipts/{mine.pk}/" in listing
    assert f"/training/receipts/{theirs.pk}/" not in listing
    detail = client.get(f"/training/receipts/{mine.pk}/")
    assert detail.status_code == 200 and mine.text_sha256 in detail.content.decode()
    assert client.get(f"/training/receipts/{theirs.pk}/").status_code == 404


def test_the_demo_training_loads_twice_without_duplicates(personas):
    from training import demo
    from training.models import TrainingIndexPage, TrainingModulePage
    from trust import demo as trust_demo

    trust_demo.load()
    demo.load()
    demo.load()
    assert TrainingIndexPage.objects.count() == 1
    assert TrainingModulePage.objects.count() == 3
    assert TrainingIndexPage.objects.get().url == "/training/"


def test_on_postgresql_the_database_itself_refuses_to_change_or_delete_a_receipt(personas, make_module):
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    module = make_module("Fire safety")
    receipt = complete_module(personas.staff, module, revision_id=module.live_revision_id, answers={}).receipt
    for sql in (
        "UPDATE training_trainingcompletion SET text_sha256 = 'x' WHERE id = %s",
        "DELETE FROM training_trainingcompletion WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [receipt.pk])
    assert TrainingCompletion.objects.filter(pk=receipt.pk).exists()


def test_the_receipt_names_roles_and_schools_as_people_say_them(client, personas, make_module):
    module = make_module("Fire safety", roles=(Role.STAFF, Role.GOVERNOR))
    receipt = complete_module(personas.staff, module, revision_id=module.live_revision_id, answers={}).receipt
    sign_in(client, personas.staff)
    html = client.get(f"/training/receipts/{receipt.pk}/").content.decode()
    assert "Staff member, Brook Primary School" in html and "staff (brook)" not in html


def test_a_receipt_that_kept_only_codes_is_shown_with_names(personas):
    from training.completion import roles_as_people_say_them

    older = [{"role": "staff", "school": "castle"}, {"role": "executive_head", "school": None}]
    assert roles_as_people_say_them(older) == ["Staff member, Castle Academy", "Executive head"]
