"""The sign-in page writes its form out by hand (templates/account/login.html): each input must stay the one Django
would render for allauth's form, blank, after a refused password and after an empty submission; and the page, which
everyone opens, asks the database nothing."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trust.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


class Inputs(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.found = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") != "hidden":
            self.found[attributes["name"]] = attributes


def inputs_of(html):
    return Inputs(html).found


def assert_inputs_are_djangos(response):
    form = response.context["form"]
    written = inputs_of(response.content.decode())
    assert set(written) == set(form.fields) == {"login", "password"}  # a field allauth adds must be written out too
    for name in form.fields:
        assert written[name] == inputs_of(str(form[name]))[name], name


def test_the_blank_form_is_djangos(client):
    response = client.get("/accounts/login/")
    assert_inputs_are_djangos(response)
    page = response.content.decode()
    assert '<label for="id_login">Email</label>' in page and '<label for="id_password">Password</label>' in page
    assert '<a href="/accounts/password/reset/">Forgot your password?</a>' in page


def test_a_refused_password_keeps_the_address_and_says_why(client, personas):
    response = client.post("/accounts/login/", {"login": personas.staff.email, "password": "not the password"})
    assert response.status_code == 200
    assert_inputs_are_djangos(response)
    page = response.content.decode()
    assert f'value="{personas.staff.email}"' in page
    assert "The email address and/or password you specified are not correct." in page
    assert 'class="error-summary"' in page


def test_an_empty_submission_marks_each_field(client):
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    assert response.status_code == 200
    assert_inputs_are_djangos(response)
    page = response.content.decode()
    assert 'id="id_login_error"' in page and 'id="id_password_error"' in page
    assert inputs_of(page)["login"]["aria-invalid"] == "true"


def test_the_page_keeps_where_the_person_was_going(client, personas):
    page = client.get("/accounts/login/?next=/policies/").content.decode()
    assert '<input type="hidden" name="next" value="/policies/">' in page
    response = client.post("/accounts/login/", {"login": personas.staff.email, "password": PASSWORD, "next": "/policies/"})
    assert response.status_code == 302 and response.url == "/policies/"


def test_the_sign_in_page_asks_the_database_nothing(client):
    client.get("/accounts/login/")  # the first visit sets the CSRF cookie
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/accounts/login/").status_code == 200
    assert len(queries) == 0
