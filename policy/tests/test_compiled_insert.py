"""New rows written through SQL compiled once (trust/compiled_sql.py `CompiledInsert`) are the rows `save()` and
`bulk_create()` write: every column, the signals, the seal, a conflict, and what is refused."""

import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.signals import post_save, pre_save

from policy.acknowledgements import record_attempt
from policy.enums import AttemptOutcome
from policy.models import AcknowledgementAttempt, ReadReceipt
from policy.versions import current_version
from trust.compiled_sql import CompiledInsert, compiled_insert

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 9, 3, 8, 45, tzinfo=datetime.UTC)
# The briefing's index of who has done what (training, which policy does not import): its row follows a receipt.
BriefingCompletion = apps.get_model("training", "BriefingCompletion")


def columns(obj) -> dict:
    row = type(obj).objects.filter(pk=obj.pk).values().get()
    row.pop("id")
    return row


def attempt(policy, person, **fields):
    return AcknowledgementAttempt(
        user=person,
        page_id=policy.pk,
        revision_id=policy.live_revision_id,
        version_number=1,
        attempted_at=MOMENT,
        outcome=AttemptOutcome.WRONG_ANSWERS,
        answers=[{"question": "q1", "answer": "O'Brien's \"home\" é"}],
        wrong_questions=["q1"],
        **fields,
    )


def test_a_row_is_written_column_for_column_as_save_writes_it(policy, personas):
    by_save = attempt(policy, personas.staff)
    by_save.save()
    compiled = compiled_insert(AcknowledgementAttempt).save_new(attempt(policy, personas.staff))
    assert compiled.pk is not None and compiled.pk != by_save.pk
    assert not compiled._state.adding
    assert columns(compiled) == columns(by_save)
    assert AcknowledgementAttempt.objects.get(pk=compiled.pk).answers[0]["answer"] == "O'Brien's \"home\" é"


def test_a_fields_default_is_taken_when_it_is_not_given(policy, personas):
    made = record_attempt(personas.staff, policy, policy.live_revision_id, 1, AttemptOutcome.ACCEPTED)
    stored = AcknowledgementAttempt.objects.get(pk=made.pk)
    assert stored.attempted_at == made.attempted_at
    assert (stored.outcome, stored.answers, stored.wrong_questions) == (AttemptOutcome.ACCEPTED, [], [])


def test_save_new_sends_the_signals_save_sends_and_insert_sends_none(policy, personas):
    heard = []

    def listen(signal_name):
        def receiver(sender, instance, **kwargs):
            heard.append((signal_name, kwargs.get("created"), instance.pk is not None))

        return receiver

    before, after = listen("pre_save"), listen("post_save")
    pre_save.connect(before, sender=AcknowledgementAttempt)
    post_save.connect(after, sender=AcknowledgementAttempt)
    try:
        compiled_insert(AcknowledgementAttempt).save_new(attempt(policy, personas.staff))
        assert heard == [("pre_save", None, False), ("post_save", True, True)]
        compiled_insert(AcknowledgementAttempt).insert(attempt(policy, personas.staff))
        assert len(heard) == 2
    finally:
        pre_save.disconnect(before, sender=AcknowledgementAttempt)
        post_save.disconnect(after, sender=AcknowledgementAttempt)


def test_a_receipt_is_sealed_and_its_briefing_completion_made_in_the_same_save(policy, personas):
    version = current_version(policy)
    receipt = ReadReceipt(
        user=personas.staff,
        page_id=policy.pk,
        revision_id=version.revision_id,
        version=version,
        version_number=version.number,
        acknowledged_at=MOMENT,
        text_sha256="a" * 64,
    )
    receipt.save()
    stored = ReadReceipt.objects.get(pk=receipt.pk)
    assert stored.has_valid_seal()
    assert stored.seal == receipt.seal
    completion = BriefingCompletion.objects.get(user=personas.staff, page_id=policy.pk)
    assert (completion.version_number, completion.done_at) == (version.number, MOMENT)


def test_a_second_receipt_of_the_same_version_is_refused_and_the_transaction_is_left_to_roll_back(policy, personas):
    version = current_version(policy)

    def receipt():
        return ReadReceipt(
            user=personas.staff, page_id=policy.pk, revision_id=version.revision_id, version=version,
            version_number=version.number, text_sha256="b" * 64,
        )

    receipt().save()
    with pytest.raises(IntegrityError), transaction.atomic():
        receipt().save()
    assert ReadReceipt.objects.filter(user=personas.staff, page_id=policy.pk).count() == 1


def test_with_ignore_conflicts_a_row_already_there_is_kept_and_said_so(policy, personas):
    row = {"user": personas.governor, "page_id": policy.pk, "version_number": 7, "done_at": MOMENT}
    ignoring = compiled_insert(BriefingCompletion, ignore_conflicts=True)
    assert ignoring.insert(BriefingCompletion(**row)) is True
    assert ignoring.insert(BriefingCompletion(**{**row, "done_at": MOMENT + datetime.timedelta(days=1)})) is False
    assert list(BriefingCompletion.objects.filter(user=personas.governor).values_list("done_at", flat=True)) == [MOMENT]


def test_what_it_cannot_write_as_save_does_is_refused(policy, personas):
    with pytest.raises(ValueError, match="only a plain model"):
        CompiledInsert(type(policy)).insert(type(policy)(title="A page: its model has a parent, Page"))
    with pytest.raises(ValueError, match="an expression"):
        compiled_insert(AcknowledgementAttempt).insert(_with_expression(attempt(policy, personas.staff)))
    saved = attempt(policy, personas.staff)
    saved.save()
    with pytest.raises(ValueError, match="primary key"):
        compiled_insert(AcknowledgementAttempt).insert(saved)
    assert AcknowledgementAttempt.objects.count() == 1


def _with_expression(obj):
    obj.outcome = Value("accepted")
    return obj
