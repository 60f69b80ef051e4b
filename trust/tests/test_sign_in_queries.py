"""Signing in, and the first page after it, take a fixed number of queries whatever the data.

At sign-in the session is written once (trust/sessions.py), and it already holds what the first page would
otherwise work out and save again (that it was just touched, and that the person needs no second factor).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policy.tests.factories import make_policy
from trust.enums import Role
from trust.tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# In the test's transaction (BEGIN and COMMIT are savepoints here): the address looked up (the people here have
# a verified address in allauth's book), whether the person has an authenticator, whether they need MFA (their roles,
# admin rights and delegations in one query: trust/access.py), last_login, their ended sessions dropped and the new
# one recorded (trust/user_sessions.py), and the session itself, written once: SAVEPOINT, INSERT, RELEASE. It was 18
# before the session was written once, and 15 before the MFA question was one query (it was two, and the sign-in
# message then asked for the memberships again) and allauth's user sessions took two statements instead of seven.
SIGN_IN_QUERIES = 9


def sign_in_queries(client, email):
    client.get("/accounts/login/")
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    return queries


def add_colleagues(count, personas, start=0):
    for n in range(start, start + count):
        MembershipFactory(user=UserFactory(), role=Role.STAFF, school=personas.brook)
        make_policy(f"Policy {n}", slug=f"policy-{n}")


def test_signing_in_takes_the_same_queries_with_few_or_many_people_and_policies(client, personas):
    add_colleagues(1, personas)
    few = len(sign_in_queries(client, personas.staff.email))
    client.logout()
    add_colleagues(10, personas, start=1)
    many = len(sign_in_queries(client, personas.governor.email))
    assert few == many == SIGN_IN_QUERIES


def test_the_session_made_at_sign_in_is_written_once(client, personas):
    sql = [q["sql"] for q in sign_in_queries(client, personas.staff.email)]
    writes = [s for s in sql if re.match(r'(INSERT INTO|UPDATE|DELETE FROM) "?django_session"? ', s)]
    assert len(writes) == 1 and writes[0].startswith("INSERT")


def test_the_first_page_after_signing_in_saves_nothing_to_the_session(client, personas):
    make_policy("Children in Care policy")
    sign_in_queries(client, personas.staff.email)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200 and "Children in Care policy" in response.content.decode()
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
    assert client.get("/").status_code == 200  # still signed in


def test_a_session_made_at_sign_in_never_overwrites_one_whose_key_is_taken(db):
    from trust.sessions import SessionStore

    existing = SessionStore()
    existing["who"] = "first person"
    existing.save()
    new = SessionStore()
    new["who"] = "second person"
    new.create()
    new._session_key = existing.session_key  # the one chance in 36^32: the key chosen is taken
    new.save()
    assert new.session_key != existing.session_key
    assert SessionStore(existing.session_key)["who"] == "first person"
    assert SessionStore(new.session_key)["who"] == "second person"


def test_people_are_found_by_address_through_an_index(db):
    """allauth finds the person signing in by auth_user.email: without an index each sign-in reads the whole table."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "auth_user")
    assert any(c["index"] and c["columns"] == ["email"] for c in constraints.values())
