"""The embedded default (`make run`: runserver on a SQLite file in WAL mode) takes a staff room at once.

Twenty people sign in at the same moment, then acknowledge the same policy at the same moment, each from
a thread of their own against a real server: every one succeeds, and the file holds exactly 20 receipts.
The test database (SQLite in memory) is copied to a file for the server, as `make run` would have made it.
"""

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from portal.tests.app_servers import EmbeddedServer, Visitor, embedded_environment

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded default is SQLite; this is its test"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PEOPLE = 20
PASSWORD = "Embedded-staff-room-2026"


@pytest.fixture
def staff_room(personas):
    """A policy for staff and twenty staff at Brook who can sign in with the development settings' hasher."""
    from policy.tests.factories import make_policy
    from trust.enums import Role
    from trust.hashers import Argon2idPasswordHasher
    from trust.tests.factories import MembershipFactory, UserFactory

    hasher = Argon2idPasswordHasher()
    people = [UserFactory(email=f"teacher{n:02}.brook@symphony.example") for n in range(1, PEOPLE + 1)]
    for person in people:
        MembershipFactory(user=person, role=Role.STAFF, school=personas.brook)
        person.password = hasher.encode(PASSWORD, hasher.salt())
        person.save(update_fields=["password"])
    return make_policy("Staff room policy", slug="staff-room-policy"), people


@pytest.fixture
def embedded_server(staff_room, tmp_path):
    database = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(database)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    server = EmbeddedServer("embedded", embedded_environment(database, tmp_path / "media"), tmp_path)
    try:
        yield server.launch().wait_until_ready(), database
    finally:
        server.stop()


def test_twenty_people_sign_in_and_acknowledge_at_once_on_the_embedded_sqlite_file(staff_room, embedded_server):
    policy, people = staff_room
    server, database = embedded_server
    signed_in, acknowledging = threading.Barrier(PEOPLE), threading.Barrier(PEOPLE)

    def one_person(person):
        visitor = Visitor(host=None)
        token = visitor.csrf_token(server, "/accounts/login/")
        signed_in.wait(timeout=120)
        answer = visitor.post(server, "/accounts/login/", {"login": person.email, "password": PASSWORD}, token=token)
        assert answer.status_code == 302 and answer.headers["Location"] == "/", f"{person.email}: {answer.status_code}"
        page = visitor.get(server, policy.url)
        assert "Please read and acknowledge version 1" in page.text
        form = {"revision": str(policy.live_revision_id), "statement": "on"}
        token = visitor.csrf_token(server, policy.url)
        acknowledging.wait(timeout=120)
        thanked = visitor.follow(server, visitor.post(server, policy.url + "acknowledge/", form, token=token))
        return "You acknowledged version 1 of “Staff room policy”" in thanked.text

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        thanked = list(pool.map(one_person, people))
    assert thanked == [True] * PEOPLE

    with sqlite3.connect(database) as stored:
        journal = stored.execute("PRAGMA journal_mode").fetchone()[0]
        receipts = stored.execute(
            "SELECT count(*), count(DISTINCT user_id) FROM policy_readreceipt WHERE page_id = ?", [policy.pk]
        ).fetchone()
    assert journal == "wal"
    assert receipts == (PEOPLE, PEOPLE)
