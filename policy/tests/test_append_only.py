"""Receipts are append-only: the model refuses changes, and on PostgreSQL the database does too."""

import threading
from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from conftest import sign_in
from policy.acknowledgements import create_receipt
from policy.models import ReadReceipt
from policy.tests.factories import make_policy
from policy.versions import current_version


@pytest.fixture
def receipt(policy, personas):
    version = current_version(policy)
    return create_receipt(personas.staff, policy, version, version.revision_id)


@pytest.mark.django_db
def test_a_receipt_cannot_be_changed_or_deleted_through_the_model(receipt):
    receipt.text_sha256 = "0" * 64
    with pytest.raises(ReadReceipt.AppendOnly):
        receipt.save()
    with pytest.raises(ReadReceipt.AppendOnly):
        receipt.delete()
    with pytest.raises(ReadReceipt.AppendOnly):
        ReadReceipt.objects.filter(pk=receipt.pk).update(on_paper=True)
    with pytest.raises(ReadReceipt.AppendOnly):
        ReadReceipt.objects.all().delete()
    assert ReadReceipt.objects.get().text_sha256 != "0" * 64


@pytest.mark.django_db
def test_one_receipt_per_person_and_version(receipt, policy, personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReadReceipt.objects.create(
            user=personas.staff,
            page_id=policy.pk,
            revision_id=receipt.revision_id,
            version=receipt.version,
            version_number=receipt.version_number,
            text_sha256="x",
        )


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
def test_the_database_refuses_update_and_delete_of_a_receipt(receipt):
    for sql in (
        "UPDATE policy_readreceipt SET on_paper = true WHERE id = %s",
        "DELETE FROM policy_readreceipt WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [receipt.pk])
    assert ReadReceipt.objects.filter(pk=receipt.pk, on_paper=False).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_acknowledgements_leave_exactly_one_receipt(personas):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is tested on PostgreSQL")
    from django.test import Client

    page = make_policy("Race policy", slug="race-policy")
    barrier = threading.Barrier(20)
    statuses = []

    def submit():
        client = sign_in(Client(), personas.staff)
        barrier.wait()
        try:
            response = client.post(page.url + "acknowledge/", {"revision": page.live_revision_id, "statement": "on"})
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 20
    assert ReadReceipt.objects.filter(user=personas.staff, page_id=page.pk).count() == 1


@pytest.mark.django_db
def test_receipts_survive_the_person_leaving_and_block_deleting_their_account(receipt, personas):
    from django.db.models import ProtectedError

    membership = personas.staff.memberships.get()
    membership.ended_on = date(2026, 1, 1)
    membership.save()
    assert ReadReceipt.objects.filter(user=personas.staff).count() == 1
    with pytest.raises(ProtectedError):
        personas.staff.delete()
