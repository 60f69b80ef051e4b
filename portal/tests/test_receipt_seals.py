"""Each read receipt and training completion carries a keyed seal: a receipt made up or changed in the
database by someone without CASE_AUDIT_HMAC_KEY is named by `manage.py verify_receipts`."""

# ruff: noqa: S608 - the SQL names only this module's fixed tables and ids, as someone at a database prompt would

import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from policy.models import ReadReceipt
from training.models import TrainingCompletion
from trust.evidence_db import triggers_disabled_by_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipts(personas):
    """A read receipt and a training completion, written the way the portal writes them."""
    from policy.acknowledgements import create_receipt
    from policy.tests.factories import make_policy
    from policy.versions import current_version
    from training.builders import build_module, ensure_training_index
    from training.completion import complete_module
    from trust.enums import Role

    policy = make_policy("Sealed policy", slug="sealed-policy")
    version = current_version(policy)
    receipt = create_receipt(personas.staff, policy, version, version.revision_id)
    module = build_module(ensure_training_index(), "Sealed module", roles=[Role.STAFF])
    completion = complete_module(personas.staff, module, revision_id=module.live_revision_id, answers={}).receipt
    return receipt, completion


def verify():
    out = io.StringIO()
    try:
        call_command("verify_receipts", stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue().strip()


def as_the_owner(*tables):
    """Someone with the schema owner's access: pending checks settled, then the tables' triggers off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return triggers_disabled_by_owner(connection, *tables)


def insert_copy(table, row_id, **overrides):
    """INSERT a new row like row_id at the database prompt, with some columns changed; the new row's id."""
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table) if c.name != "id"]
        values = [f"%({c})s" if c in overrides else f'"{c}"' for c in columns]
        names = ", ".join(f'"{c}"' for c in columns)
        cursor.execute(
            f'INSERT INTO "{table}" ({names}) SELECT {", ".join(values)} FROM "{table}" WHERE id = %(row_id)s',
            {**overrides, "row_id": row_id},
        )
        cursor.execute(f'SELECT max(id) FROM "{table}"')
        return cursor.fetchone()[0]


def test_receipts_written_by_the_portal_match_their_seals(receipts):
    receipt, completion = receipts
    assert len(receipt.seal) == len(completion.seal) == 64
    ReadReceipt.objects.get(pk=receipt.pk).has_valid_seal()
    assert verify() == (0, "All receipts match their seals: read receipts 1, training completions 1.")


def test_a_receipt_made_up_at_the_database_prompt_is_named(receipts, personas):
    receipt, _ = receipts
    # Someone without the key copies a genuine receipt, seal and all, for a colleague who never read it.
    forged = insert_copy("policy_readreceipt", receipt.pk, user_id=personas.governor.pk)
    code, message = verify()
    assert code == 1
    assert message.startswith(f"Read receipt {forged} (policy_readreceipt) does not match its seal")


def test_a_training_completion_made_up_with_a_seal_of_its_own_is_named(receipts, personas):
    _, completion = receipts
    forged = insert_copy("training_trainingcompletion", completion.pk, user_id=personas.dt.pk, seal="f" * 64)
    code, message = verify()
    assert (code, message.split(" does not")[0]) == (1, f"Training completion {forged} (training_trainingcompletion)")


def test_a_receipt_changed_with_its_triggers_switched_off_is_named(receipts):
    receipt, completion = receipts
    with as_the_owner("policy_readreceipt", "training_trainingcompletion"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE training_trainingcompletion SET text_sha256 = %s WHERE id = %s", ["0" * 64, completion.pk]
        )
    assert verify()[1].startswith(f"Training completion {completion.pk} (training_trainingcompletion) does not match")
    with as_the_owner("policy_readreceipt", "training_trainingcompletion"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM training_trainingcompletion WHERE id = %s", [completion.pk])
        cursor.execute("UPDATE policy_readreceipt SET on_paper = %s WHERE id = %s", [True, receipt.pk])
    assert verify()[1].startswith(f"Read receipt {receipt.pk} (policy_readreceipt) does not match")


def test_receipts_made_in_bulk_are_sealed_too(receipts, personas):
    receipt, _ = receipts
    ReadReceipt.objects.bulk_create(
        [
            ReadReceipt(
                user=personas.dt,
                page_id=receipt.page_id,
                revision_id=receipt.revision_id,
                version_id=receipt.version_id,
                version_number=receipt.version_number,
                text_sha256=receipt.text_sha256,
            )
        ]
    )
    assert verify() == (0, "All receipts match their seals: read receipts 2, training completions 1.")


def test_migrating_seals_the_receipts_written_before_seals(receipts):
    receipt, completion = receipts
    with as_the_owner("policy_readreceipt", "training_trainingcompletion"), connection.cursor() as cursor:
        cursor.execute("UPDATE policy_readreceipt SET seal = '' WHERE id = %s", [receipt.pk])
        cursor.execute("UPDATE training_trainingcompletion SET seal = '' WHERE id = %s", [completion.pk])
    assert verify()[0] == 1
    for name in ("policy.migrations.0004_evidence_triggers_no_session_can_switch_off",
                 "training.migrations.0008_evidence_triggers_no_session_can_switch_off"):  # fmt: skip
        sealing = next(
            op for op in importlib.import_module(name).Migration.operations if op.describe() == "Raw Python operation"
        )
        sealing.code(apps, SimpleNamespace(connection=connection))
    assert verify()[0] == 0
    assert ReadReceipt.objects.get(pk=receipt.pk).seal == receipt.seal
    assert TrainingCompletion.objects.get(pk=completion.pk).seal == completion.seal


def test_without_the_key_the_check_refuses_and_says_why(receipts, settings):
    settings.CASE_AUDIT_HMAC_KEY = ""
    assert verify() == (1, "CASE_AUDIT_HMAC_KEY is not set: receipts cannot be sealed or checked without the key.")
