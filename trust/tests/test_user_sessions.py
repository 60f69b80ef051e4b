"""People see their other sessions and end them (allauth.usersessions), with each sign-in recorded in two
statements (trust/user_sessions.py): the person's ended sessions dropped in one, the new one inserted in the other."""

import datetime

import pytest
import time_machine
from allauth.account.signals import user_logged_in
from allauth.usersessions.models import UserSession
from allauth.usersessions.signals import on_user_logged_in
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from trust.tests.factories import PASSWORD
from trust.user_sessions import record_sign_in

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2026, 12, 7, 8, 30, tzinfo=datetime.UTC)


def signed_in(email, user_agent="Laptop browser"):
    device = Client(HTTP_USER_AGENT=user_agent)
    response = device.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    return device


def test_only_this_modules_receiver_records_a_sign_in():
    receivers = [ref() for _, ref, *_ in user_logged_in.receivers]
    assert record_sign_in in receivers and on_user_logged_in not in receivers


def test_a_sign_in_is_recorded_with_its_session_address_and_browser(personas):
    with CaptureQueriesContext(connection) as queries:
        device = signed_in(personas.staff.email)
    recorded = UserSession.objects.get(user=personas.staff)
    assert recorded.session_key == device.session.session_key
    assert (recorded.ip, recorded.user_agent) == ("127.0.0.1", "Laptop browser")
    user_session_sql = [q["sql"] for q in queries.captured_queries if "usersessions_usersession" in q["sql"]]
    assert [sql.split()[0] for sql in user_session_sql] == ["DELETE", "INSERT"]


def test_the_sessions_screen_lists_every_device_and_ends_the_others(personas):
    laptop = signed_in(personas.staff.email, "Laptop browser")
    phone = signed_in(personas.staff.email, "Phone browser")
    page = phone.get("/accounts/sessions/").content.decode()
    assert "Laptop browser" in page and "Phone browser" in page
    assert phone.post("/accounts/sessions/").status_code == 302
    assert laptop.get("/").status_code == 302  # ended: sent to sign in
    assert phone.get("/").status_code == 200
    assert list(UserSession.objects.filter(user=personas.staff).values_list("user_agent", flat=True)) == ["Phone browser"]


def test_signing_in_drops_the_persons_ended_sessions_and_keeps_the_live_ones(personas):
    with time_machine.travel(MORNING, tick=False) as clock:
        expired = signed_in(personas.staff.email, "Expired browser")
        signed_out = signed_in(personas.staff.email, "Signed-out browser")
        live = signed_in(personas.staff.email, "Live browser")
        colleague = signed_in(personas.governor.email, "Colleague's browser")
        Session.objects.filter(session_key=expired.session.session_key).update(expire_date=MORNING)
        Session.objects.filter(session_key=signed_out.session.session_key).delete()
        Session.objects.filter(session_key=colleague.session.session_key).delete()
        clock.shift(datetime.timedelta(minutes=5))
        signed_in(personas.staff.email, "New browser")
        assert live.get("/").status_code == 200
    kept = set(UserSession.objects.values_list("user_agent", flat=True))
    assert kept == {"Live browser", "New browser", "Colleague's browser"}  # another person's are not touched here


def test_a_session_still_being_written_elsewhere_is_not_taken_for_ended(personas):
    with time_machine.travel(MORNING, tick=False) as clock:
        other_device = signed_in(personas.staff.email, "Other browser")
        # As if its sign-in were still under way: its user session recorded, its session not yet written.
        Session.objects.filter(session_key=other_device.session.session_key).delete()
        clock.shift(datetime.timedelta(seconds=20))
        signed_in(personas.staff.email, "This browser")
        assert UserSession.objects.filter(user=personas.staff).count() == 2
        clock.shift(datetime.timedelta(minutes=2))
        signed_in(personas.staff.email, "A third browser")
    assert set(UserSession.objects.values_list("user_agent", flat=True)) == {"This browser", "A third browser"}
