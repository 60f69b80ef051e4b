"""A sign-in's rows (last_login, the record of the session, the session) are committed once, together, on
PostgreSQL (trust/sign_in_transaction.py); a sign-in that ends in a server error keeps none of them."""

import pytest
from allauth.account.signals import user_logged_in
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from trust.sign_in_transaction import sign_in_paths
from trust.tests.factories import PASSWORD, UserFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: on SQLite a commit does not wait for the disk"
)
WRITES = ("INSERT ", "UPDATE ", "DELETE ")


def signed_in(client, email):
    client.get("/accounts/login/")
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def test_the_sign_in_forms_are_the_password_form_and_the_second_factor_form():
    assert sign_in_paths() == {"/accounts/login/", "/accounts/2fa/authenticate/"}


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_password_sign_in_writes_its_rows_in_one_transaction():
    person = UserFactory(email="rowan.hale@symphony.example")
    client = Client()
    client.get("/accounts/login/")
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    sql = [q["sql"] for q in queries.captured_queries]
    writes = [n for n, statement in enumerate(sql) if statement.startswith(WRITES)]
    tables = " ".join(sql[n] for n in writes)
    assert all(table in tables for table in ('"auth_user"', "usersessions_usersession", '"django_session"'))
    assert sql.count("BEGIN") == sql.count("COMMIT") == 1
    assert sql.index("BEGIN") < writes[0] and writes[-1] < sql.index("COMMIT")
    assert client.get("/").status_code == 200  # signed in


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_sign_in_that_ends_in_a_server_error_keeps_none_of_its_rows():
    person = UserFactory(email="ellis.marsh@symphony.example")

    def fail(**kwargs):
        raise RuntimeError("the sign-in fails after its rows were written")

    user_logged_in.connect(fail, dispatch_uid="test-sign-in-fails")
    try:
        client = Client(raise_request_exception=False)
        assert signed_in(client, person.email).status_code == 500
    finally:
        user_logged_in.disconnect(dispatch_uid="test-sign-in-fails")
    assert get_user_model().objects.get(pk=person.pk).last_login is None
    assert not UserSession.objects.filter(user=person).exists()
    assert not Session.objects.exists()
    assert client.get("/").status_code == 302  # not signed in


@pytest.mark.django_db
def test_a_wrong_password_signs_nobody_in_and_the_right_one_then_does(client):
    person = UserFactory(email="sasha.penn@symphony.example")
    client.get("/accounts/login/")
    refused = client.post("/accounts/login/", {"login": person.email, "password": "not-the-password-0"})
    assert refused.status_code == 200 and "not correct" in refused.content.decode()
    assert get_user_model().objects.get(pk=person.pk).last_login is None
    assert signed_in(client, person.email).status_code == 302
    assert get_user_model().objects.get(pk=person.pk).last_login is not None
