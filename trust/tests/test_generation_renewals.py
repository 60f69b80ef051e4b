"""Renewing the personal pages' generations (trust/personal_pages.py `_renew`): once a transaction, not once a
signal, before the transaction reads one it changed, and never so late that an old copy is served.

A test runs inside a transaction that never commits: `django_capture_on_commit_callbacks(execute=True)` runs
what would run when it does, at the end of its block.
"""

import pytest
from django.core.cache import cache
from django.db import transaction

from conftest import sign_in
from policy.models import ReadReceipt
from policy.tests.conftest import acknowledge_url
from policy.tests.factories import make_policy
from trust import personal_pages
from trust.personal_pages import BRIEFING_KEY, _generation, _person_key, renew_person

PERSON = 7


class RecordingCache:
    """The module's cache, recording each write of a generation (not of a copy)."""

    def __init__(self):
        self.writes = []

    def __getattr__(self, name):
        return getattr(cache, name)

    def set(self, key, value, timeout=None):
        if not key.startswith("personal-pages:copy:"):
            self.writes.append(("set", key))
        cache.set(key, value, timeout=timeout)

    def set_many(self, data, timeout=None):
        self.writes.append(("set_many", frozenset(data)))
        cache.set_many(data, timeout=timeout)


@pytest.fixture
def recorded(monkeypatch):
    recording = RecordingCache()
    monkeypatch.setattr(personal_pages, "cache", recording)
    return recording


def value_elsewhere():
    """The person's generation as another process reads it: straight from the shared cache."""
    return cache.get(_person_key(PERSON))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_acknowledging_renews_its_generations_together_on_commit_in_one_round_trip(client, personas, recorded):
    """Committed for real: the receipt, its index row, the briefing's generation and the attempt in one
    transaction (policy/acknowledgements.py `acknowledge_online`), which reads no generation after them."""
    policy = make_policy("Children in Care policy")
    sign_in(client, personas.staff)
    assert client.get(policy.url).status_code == 200
    recorded.writes.clear()
    response = client.post(acknowledge_url(policy), {"revision": policy.live_revision_id, "statement": "on"})
    assert response.status_code == 302
    assert ReadReceipt.objects.filter(user=personas.staff, page=policy).exists()
    person = _person_key(personas.staff.pk)
    # The receipt and the attempt are both the person's, the receipt also the briefing's: both, once, on commit.
    assert recorded.writes == [("set_many", frozenset({person, BRIEFING_KEY}))]


@pytest.mark.django_db
def test_a_second_change_after_a_read_in_the_same_transaction_renews_at_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        renew_person(PERSON)
        read = _generation(_person_key(PERSON))  # this transaction may keep something under it now
        renew_person(PERSON)
        assert _generation(_person_key(PERSON)) != read


@pytest.mark.django_db
def test_changes_with_no_read_in_between_wait_for_the_commit(recorded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        renew_person(PERSON)
        renew_person(PERSON)
        read_elsewhere = value_elsewhere()
    assert recorded.writes == [("set_many", frozenset({_person_key(PERSON)}))]
    assert value_elsewhere() != read_elsewhere


@pytest.mark.django_db
def test_a_change_is_given_its_new_value_before_this_transaction_reads_it(
    recorded, django_capture_on_commit_callbacks
):
    before = value_elsewhere() or _generation(_person_key(PERSON))
    with django_capture_on_commit_callbacks(execute=True):
        renew_person(PERSON)
        assert value_elsewhere() == before  # not yet: nothing has read it
        read_here = _generation(_person_key(PERSON))
        assert read_here != before  # this process never serves a copy kept under the old value
        assert _generation(_person_key(PERSON)) == read_here  # once: no further change since
    assert recorded.writes == [
        ("set_many", frozenset({_person_key(PERSON)})),  # before the read
        ("set_many", frozenset({_person_key(PERSON)})),  # on commit
    ]
    assert value_elsewhere() not in {before, read_here}


@pytest.mark.django_db
def test_a_value_read_elsewhere_before_the_commit_is_retired_by_it(django_capture_on_commit_callbacks):
    """Another process reads the value this transaction gave (it read it) before the commit, and renders the
    old rows under it: the renewal on commit means that copy is never served."""
    before = value_elsewhere()
    with django_capture_on_commit_callbacks(execute=True):
        renew_person(PERSON)
        _generation(_person_key(PERSON))
        read_elsewhere = value_elsewhere()
        assert read_elsewhere != before
    assert value_elsewhere() not in {before, read_elsewhere}


@pytest.mark.django_db
def test_a_rolled_back_savepoint_does_not_take_the_renewal_on_commit_with_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        with pytest.raises(RuntimeError), transaction.atomic():
            renew_person(PERSON)  # its commit hook is dropped with the savepoint
            raise RuntimeError
        renew_person(PERSON)
        read_elsewhere = value_elsewhere()
    assert len(hooks) == 1
    assert value_elsewhere() != read_elsewhere


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_one_new_value_is_enough(recorded):
    """The change is committed already when its signal is sent: nobody can read the old rows any more."""
    from django.db import connection

    connection.ensure_connection()
    renew_person(PERSON)
    assert recorded.writes == [("set", _person_key(PERSON))]
